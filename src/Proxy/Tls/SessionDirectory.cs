using System.Security.Cryptography;

namespace Nono.Proxy.Tls;

/// <summary>The private (0700) per-session directory that holds the trust bundle.</summary>
internal static class SessionDirectory
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// The directory to create the session directory in: the configured root, else
    /// <c>$XDG_RUNTIME_DIR</c> when it is an absolute, existing, owner-only directory (as the XDG
    /// specification requires), else the temp directory. <paramref name="reason"/> says which and why.
    /// </summary>
    /// <exception cref="TrustBundleException">A configured root does not exist.</exception>
    public static string ChooseRoot(string? configuredRoot, string? xdgRuntimeDir, out string reason)
    {
        if (!string.IsNullOrEmpty(configuredRoot))
        {
            if (!Directory.Exists(configuredRoot))
            {
                throw new TrustBundleException(
                    $"The session directory root '{configuredRoot}' does not exist or is not a directory. Create it, or unset the setting to use $XDG_RUNTIME_DIR or the temp directory.");
            }

            reason = "the configured session directory root";
            return Path.GetFullPath(configuredRoot);
        }

        if (!string.IsNullOrEmpty(xdgRuntimeDir))
        {
            if (Path.IsPathFullyQualified(xdgRuntimeDir)
                && Directory.Exists(xdgRuntimeDir)
                && (File.GetUnixFileMode(xdgRuntimeDir) & GroupOrOther) == 0)
            {
                reason = "$XDG_RUNTIME_DIR";
                return xdgRuntimeDir;
            }

            reason = $"the temp directory ($XDG_RUNTIME_DIR '{xdgRuntimeDir}' is not an existing owner-only directory)";
            return Path.GetTempPath();
        }

        reason = "the temp directory ($XDG_RUNTIME_DIR is not set)";
        return Path.GetTempPath();
    }

    /// <summary>Creates <c>nono-&lt;random&gt;</c> under <paramref name="root"/>, mode 0700, and returns its path.</summary>
    /// <remarks>
    /// Directory.CreateDirectory succeeds on an existing directory, so a name is used only if nothing
    /// exists there (Path.Exists also sees dangling links); with 80 random bits nobody can pre-create it. The mode is set at mkdir (no moment
    /// with wider permissions) and checked afterwards, as is that the path is a real directory.
    /// </remarks>
    public static string Create(string root)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var path = Path.Combine(root, "nono-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)));
            if (Path.Exists(path))
            {
                continue;
            }

            var info = Directory.CreateDirectory(path, OwnerOnly);
            if (info.LinkTarget is not null)
            {
                throw new TrustBundleException($"The session directory '{path}' turned out to be a symbolic link; refusing to use it.");
            }

            // The umask can only have narrowed the mode; make it exactly owner-only.
            if (File.GetUnixFileMode(path) != OwnerOnly)
            {
                File.SetUnixFileMode(path, OwnerOnly);
            }

            return path;
        }

        throw new TrustBundleException($"Could not find an unused session directory name under '{root}'.");
    }
}
