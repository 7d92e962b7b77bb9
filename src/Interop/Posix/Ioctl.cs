using System.Runtime.InteropServices;

namespace Nono.Interop;

internal static unsafe partial class Posix
{
    /// <summary>ioctl for requests without an argument (FIOCLEX, TIOCSCTTY): nothing variadic is
    /// passed, so this overload is right on every supported ABI.</summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int IoctlNoArgument(int fd, ulong request);

    /// <summary>ioctl with a pointer argument where x86_64 and AArch64 Linux look for a variadic
    /// argument: in the third integer register.</summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, ulong request, void* argument);

    /// <summary>ioctl(fd, request, ...) as Apple silicon sees it: the two named arguments in x0 and x1,
    /// six unused registers, and the variadic pointer in the first stack slot.</summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int IoctlStackArgument(int fd, ulong request, nint x2, nint x3, nint x4, nint x5, nint x6, nint x7, void* argument);
}
