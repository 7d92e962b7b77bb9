using System.Runtime.InteropServices;

namespace Nono.Sandbox.Linux.Native;

/// <summary>
/// The libc entry points the sandbox needs. Every call sets errno; callers turn a failure into a
/// typed error right at the call site with <see cref="Errno.Last"/>. Variadic C functions
/// (syscall, prctl, ioctl) are declared with fixed integer parameters, which matches the calling
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

    [LibraryImport(Lib, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags, int mode);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "pread", SetLastError = true)]
    internal static partial nint PRead(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, nuint request, void* argument);

    /// <summary>statx(2): its buffer layout is the same on every architecture, unlike struct stat.</summary>
    [LibraryImport(Lib, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport(Lib, EntryPoint = "mkdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Mkdir(string path, uint mode);

    [LibraryImport(Lib, EntryPoint = "chdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Chdir(string path);

    [LibraryImport(Lib, EntryPoint = "mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Mount(string? source, string target, string? fsType, nuint flags, string? data);

    [LibraryImport(Lib, EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int MemfdCreate(string name, uint flags);

    [LibraryImport(Lib, EntryPoint = "execve", SetLastError = true)]
    internal static partial int Execve(byte* path, byte** argv, byte** envp);

    [LibraryImport(Lib, EntryPoint = "getppid")]
    internal static partial int GetPpid();

    [LibraryImport(Lib, EntryPoint = "getpid")]
    internal static partial int GetPid();

    [LibraryImport(Lib, EntryPoint = "geteuid")]
    internal static partial uint GetEuid();

    [LibraryImport(Lib, EntryPoint = "setsid", SetLastError = true)]
    internal static partial int SetSid();

    [LibraryImport(Lib, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport(Lib, EntryPoint = "waitpid", SetLastError = true)]
    internal static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport(Lib, EntryPoint = "waitid", SetLastError = true)]
    internal static partial int WaitId(int idType, int id, byte* info, int options);

    [LibraryImport(Lib, EntryPoint = "signal", SetLastError = true)]
    internal static partial nint Signal(int signal, nint handler);

    [LibraryImport(Lib, EntryPoint = "sigemptyset", SetLastError = true)]
    internal static partial int SigEmptySet(byte* set);

    [LibraryImport(Lib, EntryPoint = "sigfillset", SetLastError = true)]
    internal static partial int SigFillSet(byte* set);

    [LibraryImport(Lib, EntryPoint = "pthread_sigmask")]
    internal static partial int PthreadSigmask(int how, byte* set, byte* oldSet);

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

    [LibraryImport(Lib, EntryPoint = "posix_spawn", SetLastError = true)]
    internal static partial int PosixSpawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_init")]
    internal static partial int PosixSpawnFileActionsInit(void* fileActions);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_destroy")]
    internal static partial int PosixSpawnFileActionsDestroy(void* fileActions);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_adddup2")]
    internal static partial int PosixSpawnFileActionsAddDup2(void* fileActions, int fd, int newFd);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_init")]
    internal static partial int PosixSpawnAttrInit(void* attributes);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_destroy")]
    internal static partial int PosixSpawnAttrDestroy(void* attributes);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setflags")]
    internal static partial int PosixSpawnAttrSetFlags(void* attributes, short flags);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setsigdefault")]
    internal static partial int PosixSpawnAttrSetSigDefault(void* attributes, byte* set);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setsigmask")]
    internal static partial int PosixSpawnAttrSetSigMask(void* attributes, byte* set);

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
