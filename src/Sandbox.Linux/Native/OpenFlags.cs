namespace Nono.Sandbox.Linux.Native;

/// <summary>open(2) and fcntl(2) constants (identical on x86_64 and AArch64 Linux).</summary>
internal static class OpenFlags
{
    public const int ReadOnly = 0;
    public const int ReadWrite = 2;
    public const int CloseOnExec = 0x80000;     // O_CLOEXEC (02000000)
    public const int Path = 0x200000;           // O_PATH (010000000)

    public const int FGetFd = 1;
    public const int FSetFd = 2;
    public const int FdCloExec = 1;
    public const int FDupFdCloExec = 1030;

    public const uint MfdCloexec = 1;
}
