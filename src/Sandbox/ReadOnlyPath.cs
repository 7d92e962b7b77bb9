namespace Nono.Sandbox;

/// <summary>A path the child may read but not change although a writable grant covers it, and why.</summary>
/// <param name="Pinned">A directory whose content stays writable but which cannot be renamed, removed or
/// replaced: it holds read-only paths, and renaming it would carry their protection away and free its
/// name for a planted copy.</param>
public sealed record ReadOnlyPath(string Path, string Reason, bool Pinned = false)
{
    public override string ToString() => Pinned ? $"{Path} (pinned; {Reason})" : $"{Path} ({Reason})";
}
