namespace Nono.Sandbox.Persistence;

/// <summary>
/// The part of the filesystem a policy lets the program write: its writable directory grants.
/// A writable grant of a single file is the user naming that very file, and is honoured as given.
/// </summary>
public sealed class WritableArea
{
    private readonly string[] _directories;

    public WritableArea(IEnumerable<FsGrant> grants)
    {
        ArgumentNullException.ThrowIfNull(grants);
        _directories = [.. grants
            .Where(grant => grant.Target == FsTarget.Directory && grant.Access.HasFlag(FsAccess.Write))
            .Select(grant => grant.Path)
            .Distinct(StringComparer.Ordinal)];
    }

    public bool IsEmpty => _directories.Length == 0;

    /// <summary>The outermost writable directories (one inside another is searched once).</summary>
    public IEnumerable<string> Roots => _directories.Where(directory => !_directories.Any(other => other != directory && PathUtil.IsSameOrBelow(directory, other)));

    public bool Covers(string path) => _directories.Any(directory => PathUtil.IsSameOrBelow(path, directory));

    /// <summary>True when the program could rename or remove <paramref name="path"/> (its parent directory is writable).</summary>
    public bool CanReplace(string path) => Path.GetDirectoryName(path) is { } parent && Covers(parent);
}
