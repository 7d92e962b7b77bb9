namespace Nono.Sandbox.MacOS;

/// <summary>
/// What profile generation needs to know besides the policy: the user's home directory (for the
/// sensitive paths under it) and how to resolve symbolic links.
/// </summary>
/// <param name="Home">The user's home directory, absolute.</param>
public sealed record SeatbeltContext(string Home)
{
    /// <summary>Resolves links in policy paths; the real file system unless a test substitutes one.</summary>
    public IPathResolver Resolver { get; init; } = new FileSystemPathResolver();

    /// <summary>The context for the user running this process: $HOME, the real file system.</summary>
    /// <exception cref="PolicyException">The home directory is unknown.</exception>
    public static SeatbeltContext ForCurrentUser()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(home) || !Path.IsPathFullyQualified(home))
        {
            throw new PolicyException(
                "nono cannot tell which directory is your home, so it cannot protect the credentials in it. Set HOME to an absolute path.");
        }

        return new SeatbeltContext(home);
    }
}
