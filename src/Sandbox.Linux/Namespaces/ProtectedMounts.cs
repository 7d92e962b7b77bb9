using Nono.Sandbox.Linux.Native;
using Nono.Sandbox.Persistence;

namespace Nono.Sandbox.Linux.Namespaces;

/// <summary>
/// Read-only inside writable grants, in the child's own mount namespace: each read-only path is
/// bind-mounted on itself and the bind remounted read-only; each pinned directory is bind-mounted on
/// itself, writable. A mount point cannot be renamed, removed or replaced (EBUSY), and a read-only
/// one cannot be written (EROFS), so the program can neither change the path nor move it away and
/// put its own in its place. The program cannot undo a mount: it has no capability left and seccomp
/// refuses every mount call. Paths are mounted parents first, so that a directory's bind does not
/// cover the protections inside it.
/// </summary>
internal static class ProtectedMounts
{
    private const nuint MsRdonly = 1;
    private const nuint MsNosuid = 2;
    private const nuint MsNodev = 4;
    private const nuint MsRemount = 32;
    private const nuint MsBind = 4096;
    private const nuint MsRec = 16384;
    private const nuint MsPrivate = 1 << 18;

    // statvfs ST_* flags that a user namespace may not drop on remount, and the MS_* flag for each.
    private static readonly (long St, nuint Ms)[] LockedFlags =
    [
        (2, MsNosuid), (4, MsNodev), (8, 8), (1024, 1024), (2048, 2048), (4096, 1 << 21),
    ];

    public static void Apply(IReadOnlyList<ProtectedPath> paths)
    {
        var mounts = paths.Where(path => path.Protection != Protection.Watched).ToArray();
        if (mounts.Length == 0)
        {
            return;
        }

        // Nothing mounted here may propagate back to the host's mount namespace.
        if (Libc.Mount(null, "/", null, MsRec | MsPrivate, null) != 0)
        {
            throw new SandboxSetupException("make mounts private (mount --make-rprivate /)", Errno.Last);
        }

        foreach (var path in mounts.OrderBy(path => path.Path.Count(c => c == '/')))
        {
            if (!Directory.Exists(path.Path) && !File.Exists(path.Path))
            {
                throw new SandboxSetupException($"protect '{path.Path}'", "it no longer exists");
            }

            if (Libc.Mount(path.Path, path.Path, null, MsBind | MsRec, null) != 0)
            {
                throw new SandboxSetupException($"bind '{path.Path}' on itself", Errno.Last);
            }

            if (path.Protection == Protection.ReadOnly)
            {
                var flags = MsBind | MsRemount | MsRdonly | MsNosuid | MsNodev | Locked(path.Path);
                if (Libc.Mount(null, path.Path, null, flags, null) != 0)
                {
                    throw new SandboxSetupException($"make '{path.Path}' read-only", Errno.Last);
                }
            }
        }
    }

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
}
