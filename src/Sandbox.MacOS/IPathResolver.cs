namespace Nono.Sandbox.MacOS;

/// <summary>
/// Resolves symbolic links in an absolute path. Seatbelt matches rules against the path the kernel
/// reaches after following links (<c>/tmp/x</c> is checked as <c>/private/tmp/x</c>), so every
/// policy path is written into the profile both as given and as resolved. A seam so profile
/// generation can be tested with a made-up file system.
/// </summary>
public interface IPathResolver
{
    /// <summary>
    /// The path with every symbolic link in its existing prefix resolved. Components that do not
    /// exist are kept as given. <paramref name="path"/> is absolute and normalised.
    /// </summary>
    string Resolve(string path);
}
