using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Namespaces;

/// <summary>
/// Enforces <see cref="SandboxPolicy.ReadOnly"/> in the child's mount namespace: each path is bound
/// onto itself and the bind remounted read-only, so writes fail with EROFS whatever Landlock allows,
/// and, being a mount point, it cannot be renamed over, replaced or unlinked either (EBUSY). A pinned
/// directory is bound onto itself and left writable: only its place is fixed. Parents are mounted
/// before what lies inside them, and binds are recursive, so no bind hides a mount made earlier. A
/// file that does not exist yet is created first (empty; "{}" for JSON), since a program that could
/// create it would otherwise plant it freely; a directory must exist (the supervisor creates it).
/// </summary>
internal static class ReadOnlyBinds
{
    private const nuint MsRdonly = 1, MsNosuid = 2, MsNodev = 4, MsRemount = 32, MsBind = 4096, MsRec = 16384, MsPrivate = 1 << 18;
    private const int CreateExclusive = 0x40 | 0x80; // O_CREAT | O_EXCL

    // statvfs ST_* flags that a user namespace may not drop when it remounts, and the MS_* flag of each.
    private static readonly (long St, nuint Ms)[] LockedFlags =
    [
        (2, MsNosuid), (4, MsNodev), (8, 8), (1024, 1024), (2048, 2048), (4096, 1 << 21),
    ];

    public static void Apply(IReadOnlyList<ReadOnlyPath> paths)
    {
        if (paths.Count == 0)
        {
            return;
        }

        // Nothing mounted here may propagate back to the host's mount namespace.
        if (Libc.Mount(null, "/", null, MsRec | MsPrivate, null) != 0)
        {
            throw new SandboxSetupException("make mounts private (mount --make-rprivate /)", Errno.Last);
        }

        // A pinned directory that another program removed after the supervisor found it (the
        // sandboxed program has not started yet) has nothing left to keep in place: it and what was
        // below it are skipped. Whatever appears there later is new, and the end-of-session scan
        // reports it like any other repository created during the session.
        var vanished = new List<string>();
        foreach (var entry in paths.OrderBy(entry => entry.Path.Count(c => c == '/')))
        {
            if (vanished.Any(root => PathUtil.IsSameOrBelow(entry.Path, root)))
            {
                continue;
            }

            if (!File.Exists(entry.Path) && !Directory.Exists(entry.Path))
            {
                if (entry.Pinned)
                {
                    vanished.Add(entry.Path);
                    continue;
                }

                Create(entry.Path);
            }

            if (Libc.Mount(entry.Path, entry.Path, null, MsBind | MsRec, null) != 0)
            {
                throw new SandboxSetupException($"bind '{entry.Path}' to keep it {(entry.Pinned ? "in place" : "read-only")}", Errno.Last);
            }

            if (!entry.Pinned && Libc.Mount(null, entry.Path, null, MsRemount | MsBind | MsRdonly | MsNosuid | MsNodev | Locked(entry.Path), null) != 0)
            {
                throw new SandboxSetupException($"remount '{entry.Path}' read-only", Errno.Last);
            }
        }
    }

    /// <summary>The flags of the mount the path is on that a remount inside a user namespace must keep.</summary>
    private static nuint Locked(string path)
    {
        var current = Libc.MountFlags(path);
        if (current < 0)
        {
            throw new SandboxSetupException($"read the mount flags of '{path}'", Errno.Last);
        }

        nuint flags = 0;
        foreach (var (st, ms) in LockedFlags)
        {
            if ((current & st) != 0)
            {
                flags |= ms;
            }
        }

        return flags;
    }

    private static unsafe void Create(string path)
    {
        var fd = Posix.Open(path, OpenFlags.ReadWrite | CreateExclusive | OpenFlags.NoFollow | OpenFlags.CloseOnExec, 0x180 /* 0600 */);
        if (fd < 0)
        {
            throw new SandboxSetupException($"create '{path}' to keep it read-only", Errno.Last);
        }

        using var handle = new SafeFd(fd);
        if (path.EndsWith(".json", StringComparison.Ordinal))
        {
            var content = "{}\n"u8;
            fixed (byte* pointer = content)
            {
                Posix.Write(fd, pointer, (nuint)content.Length);
            }
        }
    }
}
