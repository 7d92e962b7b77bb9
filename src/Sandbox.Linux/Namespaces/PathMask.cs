namespace Nono.Sandbox.Linux.Namespaces;

/// <summary>A denied path that a grant covers and that therefore has to be hidden by a mount.</summary>
public sealed record PathMask(string Path, bool IsDirectory)
{
    public override string ToString() =>
        IsDirectory ? $"{Path} (empty read-only tmpfs)" : $"{Path} (/dev/null, read-only, nodev: every open fails)";
}
