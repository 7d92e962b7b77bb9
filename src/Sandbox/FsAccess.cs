namespace Nono.Sandbox;

/// <summary>What a filesystem grant allows. Execute is separate from Read so that a
/// directory the child may write into is not automatically a place it may run programs from.</summary>
[Flags]
public enum FsAccess
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
    ReadWrite = Read | Write,
    ReadExecute = Read | Execute,
    All = Read | Write | Execute,
}
