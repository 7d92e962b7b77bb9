using System.Runtime.InteropServices;

namespace Nono.Sandbox.Linux.Native;

/// <summary>
/// The libc entry points only the Linux sandbox needs (the POSIX ones other assemblies call too are
/// <see cref="Nono.Interop.Posix"/>). Every call sets errno; callers turn a failure into a typed
/// error right at the call site with <see cref="Errno.Last"/>. Variadic C functions
/// (syscall, prctl, fcntl) are declared with fixed integer parameters, which matches the calling
/// convention of the two supported ABIs (x86_64 System V and AArch64 Linux) for integer arguments.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    internal static partial nint Syscall(nint number, nint a1, nint a2, nint a3);

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    internal static partial nint Syscall(nint number, nint a1, nint a2, nint a3, nint a4);

    [LibraryImport(Lib, EntryPoint = "prctl", SetLastError = true)]
    internal static partial int Prctl(int option, nuint a2, nuint a3, nuint a4, nuint a5);

    [LibraryImport(Lib, EntryPoint = "pread", SetLastError = true)]
    internal static partial nint PRead(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);

    /// <summary>statx(2): its buffer layout is the same on every architecture, unlike struct stat.</summary>
    [LibraryImport(Lib, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport(Lib, EntryPoint = "statx", SetLastError = true)]
    internal static partial int Statx(int dirFd, byte* name, int flags, uint mask, byte* buffer);

    [LibraryImport(Lib, EntryPoint = "mkdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Mkdir(string path, uint mode);

    [LibraryImport(Lib, EntryPoint = "mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Mount(string? source, string target, string? fsType, nuint flags, string? data);

    [LibraryImport(Lib, EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int MemfdCreate(string name, uint flags);

    [LibraryImport(Lib, EntryPoint = "getpid")]
    internal static partial int GetPid();

    [LibraryImport(Lib, EntryPoint = "waitid", SetLastError = true)]
    internal static partial int WaitId(int idType, int id, byte* info, int options);

    [LibraryImport(Lib, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Lib, EntryPoint = "pipe2", SetLastError = true)]
    internal static partial int Pipe2(int* fds, int flags);

    [LibraryImport(Lib, EntryPoint = "socketpair", SetLastError = true)]
    internal static partial int SocketPair(int domain, int type, int protocol, int* fds);

    [LibraryImport(Lib, EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(int fd, int level, int name, void* value, uint length);

    [LibraryImport(Lib, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(int fd, void* address, uint length);

    [LibraryImport(Lib, EntryPoint = "listen", SetLastError = true)]
    internal static partial int Listen(int fd, int backlog);

    [LibraryImport(Lib, EntryPoint = "sendmsg", SetLastError = true)]
    internal static partial nint SendMsg(int fd, MsgHdr* message, int flags);

    [LibraryImport(Lib, EntryPoint = "recvmsg", SetLastError = true)]
    internal static partial nint RecvMsg(int fd, MsgHdr* message, int flags);

    /// <summary>struct msghdr (64-bit layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public void* Base;
        public nuint Length;
    }
}
