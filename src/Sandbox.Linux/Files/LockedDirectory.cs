using System.Runtime.InteropServices;
using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Files;

/// <summary>
/// A session's private directory (0700) under a shared temporary directory, held with an exclusive
/// flock(2) on the directory for the supervisor's life. The kernel drops the lock however the
/// supervisor ends, SIGKILL included, so a later session can tell an abandoned directory from a live
/// one (in any pid namespace) and remove it. Removal never follows a link: every level is opened
/// with O_NOFOLLOW relative to its parent's descriptor, so a process that outlived its session and
/// still writes there cannot swap a directory for a link and have something else deleted.
/// </summary>
public sealed class LockedDirectory : IDisposable
{
    private const uint PrivateMode = 0x1C0;    // 0700
    private const int MaxDepth = 256;
    private readonly int _parentFd;
    private readonly int _fd;
    private readonly string _name;
    private int _removed;

    private LockedDirectory(int parentFd, int fd, string parent, string name)
    {
        _parentFd = parentFd;
        _fd = fd;
        _name = name;
        Path = System.IO.Path.Join(parent, name);
    }

    public string Path { get; }

    /// <summary>Creates and locks <paramref name="name"/> (unguessable, chosen by the caller) in <paramref name="parent"/>.</summary>
    /// <exception cref="IOException">The directory cannot be created, opened or locked.</exception>
    public static LockedDirectory Create(string parent, string name)
    {
        var parentFd = OpenDirectory(Libc.AtFdCwdValue, parent, followLink: true);
        try
        {
            if (Libc.MkdirAt(parentFd, name, PrivateMode) != 0)
            {
                throw Failure($"create {System.IO.Path.Join(parent, name)}");
            }

            int fd;
            try
            {
                fd = OpenDirectory(parentFd, name, followLink: false);
            }
            catch
            {
                Libc.UnlinkAt(parentFd, name, Libc.AtRemoveDir);
                throw;
            }

            if (Libc.Flock(fd, Libc.LockExclusive | Libc.LockNonBlocking) != 0 && !LockingUnsupported(Marshal.GetLastPInvokeError()))
            {
                var error = Failure($"lock {System.IO.Path.Join(parent, name)}");
                Posix.Close(fd);
                Libc.UnlinkAt(parentFd, name, Libc.AtRemoveDir);
                throw error;
            }

            // mkdir applies the umask; a private directory must not depend on it.
            Libc.Fchmod(fd, PrivateMode);
            return new LockedDirectory(parentFd, fd, parent, name);
        }
        catch
        {
            Posix.Close(parentFd);
            throw;
        }
    }

    /// <summary>
    /// Removes every directory in <paramref name="parent"/> named <paramref name="prefix"/>* that belongs
    /// to this user, is older than <paramref name="minimumAge"/> and whose lock nobody holds: sessions
    /// whose supervisor was killed. Returns how many were removed; failures leave a directory in place.
    /// </summary>
    public static int RemoveAbandoned(string parent, string prefix, TimeSpan minimumAge)
    {
        var removed = 0;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateDirectories(parent, prefix + "*").Select(System.IO.Path.GetFileName).OfType<string>().ToArray();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        foreach (var name in candidates)
        {
            var path = System.IO.Path.Join(parent, name);
            FileSystemInfo info = new DirectoryInfo(path);
            if (info.LinkTarget is not null || DateTime.UtcNow - info.LastWriteTimeUtc < minimumAge)
            {
                continue;
            }

            int parentFd;
            try
            {
                parentFd = OpenDirectory(Libc.AtFdCwdValue, parent, followLink: true);
            }
            catch (IOException)
            {
                return removed;
            }

            try
            {
                var fd = Libc.OpenAt(parentFd, name, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow | OpenFlags.CloseOnExec, 0);
                if (fd < 0)
                {
                    continue;
                }

                // Another user's session (a shared /tmp) is never ours to remove, whatever its name.
                if (StatMode.OwnerOf(fd) != Posix.GetEuid())
                {
                    Posix.Close(fd);
                    continue;
                }

                // A live session holds the lock; taking it proves the owner is gone, and holding it
                // while removing keeps two sweepers from working on the same directory.
                if (Libc.Flock(fd, Libc.LockExclusive | Libc.LockNonBlocking) != 0)
                {
                    Posix.Close(fd);
                    continue;
                }

                if (EmptyAndClose(fd) && Libc.UnlinkAt(parentFd, name, Libc.AtRemoveDir) == 0)
                {
                    removed++;
                }
            }
            finally
            {
                Posix.Close(parentFd);
            }
        }

        return removed;
    }

    /// <summary>Removes the directory and everything in it, once; the lock goes with the descriptor.
    /// False when something could not be removed (it is then left in place, unlocked).</summary>
    public bool Remove()
    {
        if (Interlocked.Exchange(ref _removed, 1) != 0)
        {
            return true;
        }

        var dup = Libc.Fcntl(_fd, OpenFlags.FDupFdCloExec, 0);
        var removed = dup >= 0 && EmptyAndClose(dup) && Libc.UnlinkAt(_parentFd, _name, Libc.AtRemoveDir) == 0;
        Posix.Close(_fd);
        Posix.Close(_parentFd);
        return removed;
    }

    public void Dispose() => Remove();

    /// <summary>Removes what the directory open on <paramref name="fd"/> contains (closing
    /// <paramref name="fd"/>); true when it is empty afterwards.</summary>
    private static unsafe bool EmptyAndClose(int fd, int depth = 0)
    {
        // Each level holds a descriptor and a directory stream; a program can nest directories far
        // deeper than is worth following, and what lies beyond the bound simply stays.
        if (depth >= MaxDepth)
        {
            Posix.Close(fd);
            return false;
        }

        // The owner may always make its directory writable again: a program may have taken the write bit away.
        Libc.Fchmod(fd, PrivateMode);
        var stream = Libc.FdOpenDir(fd);
        if (stream == 0)
        {
            Posix.Close(fd);
            return false;
        }

        var empty = true;
        try
        {
            while (Libc.ReadDir(stream) is var entry && entry is not null)
            {
                var name = entry + Libc.DirentNameOffset;
                if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
                {
                    continue;
                }

                // Try it as a file (or link) first; a directory answers EISDIR and is emptied, never followed.
                if (Libc.UnlinkAt(fd, name, 0) == 0)
                {
                    continue;
                }

                var child = Libc.OpenAt(fd, name, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow | OpenFlags.CloseOnExec, 0);
                if (child < 0 || !EmptyAndClose(child, depth + 1) || Libc.UnlinkAt(fd, name, Libc.AtRemoveDir) != 0)
                {
                    empty = false;
                }
            }
        }
        finally
        {
            Libc.CloseDir(stream);
        }

        return empty;
    }

    /// <summary>
    /// Where flock(2) does not work on a directory (NFS emulates it with byte-range locks, which need
    /// a descriptor open for writing), the session runs unlocked: the sweeper cannot lock such a
    /// directory either, so it leaves it alone rather than take a live session's files.
    /// </summary>
    private static bool LockingUnsupported(int errno) => errno is 9 or 37 or 38 or 95;   // EBADF, ENOLCK, ENOSYS, EOPNOTSUPP

    private static int OpenDirectory(int dirFd, string path, bool followLink)
    {
        var flags = OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec | (followLink ? 0 : OpenFlags.NoFollow);
        var fd = Libc.OpenAt(dirFd, path, flags, 0);
        return fd >= 0 ? fd : throw Failure($"open {path}");
    }

    private static IOException Failure(string step) =>
        new($"cannot {step}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
}
