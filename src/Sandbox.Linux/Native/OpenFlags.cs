namespace Nono.Sandbox.Linux.Native;

/// <summary>open(2) and fcntl(2) constants (identical on x86_64 and AArch64 Linux unless said otherwise).</summary>
internal static class OpenFlags
{
    public const int ReadOnly = 0;
    public const int ReadWrite = 2;
    public const int CloseOnExec = 0x80000;     // O_CLOEXEC (02000000)
    public const int Path = 0x200000;           // O_PATH (010000000)

    /// <summary>O_DIRECTORY, which AArch64 numbers differently from x86_64.</summary>
    public static int Directory => IsArm64 ? 0x4000 : 0x10000;

    /// <summary>O_NOFOLLOW, which AArch64 numbers differently from x86_64.</summary>
    public static int NoFollow => IsArm64 ? 0x8000 : 0x20000;

    public const int FGetFd = 1;
    public const int FSetFd = 2;
    public const int FdCloExec = 1;
    public const int FDupFdCloExec = 1030;

    public const uint MfdCloexec = 1;

    private static bool IsArm64 => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64;
}
