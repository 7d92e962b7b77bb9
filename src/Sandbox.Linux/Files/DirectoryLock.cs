using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Files;

/// <summary>
/// Whether a <see cref="LockedDirectory"/> still has its owner: the owner's exclusive flock(2) lives
/// exactly as long as its process (the kernel drops it on any exit, SIGKILL included), so a shared
/// lock that cannot be taken means the session is alive. Read-only: the probe never removes anything.
/// </summary>
public static class DirectoryLock
{
    public enum State
    {
        /// <summary>Another process holds the directory's lock: its session runs.</summary>
        Held,

        /// <summary>Nobody holds the lock: the session that made the directory has ended.</summary>
        Free,

        /// <summary>The directory cannot be opened or this file system has no locks.</summary>
        Unknown,
    }

    /// <summary>Probes <paramref name="path"/>, owned by this user and not a link, without following a link.</summary>
    public static State Probe(string path)
    {
        var fd = Libc.OpenAt(Libc.AtFdCwdValue, path, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow | OpenFlags.CloseOnExec, 0);
        if (fd < 0)
        {
            return State.Unknown;
        }

        try
        {
            if (StatMode.OwnerOf(fd) != Posix.GetEuid())
            {
                return State.Unknown;
            }

            if (Libc.Flock(fd, Libc.LockShared | Libc.LockNonBlocking) == 0)
            {
                return State.Free;
            }

            return System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == 11 ? State.Held : State.Unknown;   // EWOULDBLOCK
        }
        finally
        {
            Posix.Close(fd);
        }
    }
}
