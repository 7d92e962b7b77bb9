namespace Nono.Sandbox;

/// <summary>
/// A file the child sees as a private copy for the session: <see cref="CopyPath"/> is bound over
/// <see cref="Path"/> in its mount namespace, so the child reads and writes the copy while the real
/// file stays as it was. The supervisor writes the copy back when the session ends, without the keys
/// that name commands run outside any sandbox (<see cref="PlantedCommandPaths.CopiedUnderHome"/>).
/// </summary>
public sealed record SessionCopy(string Path, string CopyPath, string Reason)
{
    public override string ToString() => $"{Path} (private copy {CopyPath}: {Reason})";
}
