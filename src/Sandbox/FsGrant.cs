namespace Nono.Sandbox;

/// <summary>Whether a grant names a directory (and everything below it) or one file.</summary>
public enum FsTarget
{
    Directory,
    File,
}

/// <summary>One filesystem grant. <see cref="Path"/> is absolute and normalised.</summary>
public sealed record FsGrant(string Path, FsAccess Access, FsTarget Target)
{
    public static FsGrant Directory(string path, FsAccess access) => new(path, access, FsTarget.Directory);

    public static FsGrant File(string path, FsAccess access) => new(path, access, FsTarget.File);

    public override string ToString()
    {
        var rights = string.Concat(
            Access.HasFlag(FsAccess.Read) ? "r" : "-",
            Access.HasFlag(FsAccess.Write) ? "w" : "-",
            Access.HasFlag(FsAccess.Execute) ? "x" : "-");
        return $"{rights} {(Target == FsTarget.File ? "file" : "dir ")} {Path}";
    }
}
