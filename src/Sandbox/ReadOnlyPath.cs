namespace Nono.Sandbox;

/// <summary>A path the child may read but not change although a writable grant covers it, and why.</summary>
public sealed record ReadOnlyPath(string Path, string Reason)
{
    public override string ToString() => $"{Path} ({Reason})";
}
