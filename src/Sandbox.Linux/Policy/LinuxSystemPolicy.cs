using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Policy;

/// <summary>
/// The grants every sandboxed program needs on Linux to start at all: system programs and
/// libraries (read + execute), configuration in /etc (read, without its secrets), /proc and /sys
/// (read), the harmless devices and the terminal, and a private temporary directory.
/// </summary>
public static class LinuxSystemPolicy
{
    private static readonly string[] ProgramDirectories = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt"];

    /// <summary>/etc entries never granted, even where world-readable: password hashes, sudo rules,
    /// and where services keep keys and credentials. Landlock cannot deny below a grant, so /etc is
    /// granted entry by entry.</summary>
    private static readonly HashSet<string> EtcSecrets = new(StringComparer.Ordinal)
    {
        "shadow", "shadow-", "gshadow", "gshadow-", "sudoers", "sudoers.d", ".pwd.lock", "security",
        "credstore", "credstore.encrypted", "NetworkManager", "wireguard", "ppp", "openvpn", "ipsec.secrets",
        "ipsec.d", "krb5.keytab", "libvirt", "docker", "containers", "cups", "ssh", "ssl", "pki",
    };

    /// <summary>Directories with public and secret parts: only these entries are granted.</summary>
    private static readonly Dictionary<string, string[]> EtcPartial = new(StringComparer.Ordinal)
    {
        ["ssh"] = ["ssh_config", "ssh_config.d", "ssh_known_hosts"],
        ["ssl"] = ["certs", "openssl.cnf", "openssl.cnf.d", "ct_log_list.cnf"],
        ["pki"] = ["tls/certs", "ca-trust", "tls/openssl.cnf"],
    };

    private static readonly (string Path, FsAccess Access)[] Devices =
    [
        ("/dev/null", FsAccess.ReadWrite),
        ("/dev/zero", FsAccess.Read),
        ("/dev/full", FsAccess.ReadWrite),
        ("/dev/random", FsAccess.Read),
        ("/dev/urandom", FsAccess.Read),
        ("/dev/tty", FsAccess.ReadWrite),
        ("/dev/ptmx", FsAccess.ReadWrite),
    ];

    /// <summary>The base grants, with <paramref name="privateTemp"/> (see <see cref="PrivateTemp"/>)
    /// readable, writable and executable (build tools run what they compile there).</summary>
    /// <param name="privateTemp">The sandbox's temporary directory.</param>
    /// <param name="terminals">Terminal devices the child may reopen (e.g. the PTY a supervisor
    /// created for it); null means the terminals on this process's stdin, stdout and stderr.
    /// Only these are granted, never all of /dev/pts: another pseudo-terminal of the same user
    /// could be read, stealing what is typed into it.</param>
    public static IReadOnlyList<FsGrant> BaseGrants(string privateTemp, IReadOnlyList<string>? terminals = null)
    {
        var grants = new List<FsGrant>();
        grants.AddRange(ProgramDirectories.Where(Directory.Exists).Select(path => FsGrant.Directory(path, FsAccess.ReadExecute)));
        grants.AddRange(EtcGrants());
        grants.Add(FsGrant.Directory("/proc", FsAccess.Read));
        if (Directory.Exists("/sys"))
        {
            grants.Add(FsGrant.Directory("/sys", FsAccess.Read));
        }

        grants.AddRange(Devices.Where(device => File.Exists(device.Path)).Select(device => FsGrant.File(device.Path, device.Access)));
        foreach (var terminal in (terminals ?? InheritedTerminals()).Distinct(StringComparer.Ordinal))
        {
            grants.Add(FsGrant.File(terminal, FsAccess.ReadWrite));
        }

        grants.Add(FsGrant.Directory(privateTemp, FsAccess.All));
        return grants;
    }

    /// <summary>The terminal devices open on descriptors 0-2 of this process.</summary>
    public static IReadOnlyList<string> InheritedTerminals()
    {
        var terminals = new List<string>();
        for (var fd = 0; fd <= 2; fd++)
        {
            try
            {
                var target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
                if (target is not null && (target.StartsWith("/dev/pts/", StringComparison.Ordinal) || target.StartsWith("/dev/tty", StringComparison.Ordinal))
                    && File.Exists(target))
                {
                    terminals.Add(target);
                }
            }
            catch (IOException)
            {
            }
        }

        return terminals;
    }

    /// <summary>Read grants for <paramref name="etc"/>, entry by entry: its secret entries are left
    /// out by name, and everything else only as far as it is world-readable (see <see cref="PublicTree"/>).</summary>
    /// <exception cref="SandboxUnavailableException">The directory exists but cannot be listed.</exception>
    internal static IReadOnlyList<FsGrant> EtcGrants(string etc = "/etc")
    {
        if (!Path.Exists(etc))
        {
            return [];
        }

        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(etc);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SandboxUnavailableException(
                $"cannot list {etc}: {WhyUnlistable(etc, error)}. nono grants {etc} entry by entry to keep its secrets out and must read it; "
                + "if nono runs inside another sandbox, grant that sandbox read access to the directory itself.");
        }

        Array.Sort(entries, StringComparer.Ordinal);
        var tree = new PublicTree();
        foreach (var entry in entries)
        {
            var name = Path.GetFileName(entry);
            if (EtcPartial.TryGetValue(name, out var publicParts))
            {
                foreach (var part in publicParts)
                {
                    tree.Add(Path.Join(entry, part));
                }
            }
            else if (!EtcSecrets.Contains(name))
            {
                tree.Add(entry);
            }
        }

        return [.. tree.Grants.OrderBy(grant => grant.Path, StringComparer.Ordinal)];
    }

    /// <summary>The system's reason, which the runtime's exception message may not carry.</summary>
    private static string WhyUnlistable(string path, Exception error)
    {
        var fd = Posix.Open(path, OpenFlags.ReadOnly | OpenFlags.CloseOnExec, 0);
        if (fd < 0)
        {
            return Errno.Describe(Errno.Last);
        }

        Posix.Close(fd);
        return StatMode.Of(path, followLinks: true) is { } mode && !StatMode.IsDirectory(mode) ? "not a directory" : error.Message;
    }
}
