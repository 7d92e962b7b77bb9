using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Namespaces;

/// <summary>
/// Enforces <see cref="SandboxPolicy.ReadOnly"/> in the child's mount namespace: each file is bound
/// onto itself and the bind remounted read-only, so writes fail with EROFS whatever Landlock allows,
/// and, being a mount point, it cannot be renamed over, replaced or unlinked either (EBUSY). A file
/// that does not exist yet is created first (empty; "{}" for JSON), since a program that could create
/// it would otherwise plant it freely.
/// </summary>
internal static class ReadOnlyBinds
{
    private const nuint MsRdonly = 1, MsNosuid = 2, MsNodev = 4, MsRemount = 32, MsBind = 4096;
    private const int CreateExclusive = 0x40 | 0x80; // O_CREAT | O_EXCL

    public static void Apply(IReadOnlyList<ReadOnlyPath> paths)
    {
        foreach (var entry in paths)
        {
            if (!File.Exists(entry.Path))
            {
                Create(entry.Path);
            }

            if (Libc.Mount(entry.Path, entry.Path, null, MsBind, null) != 0)
            {
                throw new SandboxSetupException($"bind '{entry.Path}' to keep it read-only", Errno.Last);
            }

            if (Libc.Mount(null, entry.Path, null, MsRemount | MsBind | MsRdonly | MsNosuid | MsNodev, null) != 0)
            {
                throw new SandboxSetupException($"remount '{entry.Path}' read-only", Errno.Last);
            }
        }
    }

    private static unsafe void Create(string path)
    {
        var fd = Libc.Open(path, OpenFlags.ReadWrite | CreateExclusive | OpenFlags.NoFollow | OpenFlags.CloseOnExec, 0x180 /* 0600 */);
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
                Libc.Write(fd, pointer, (nuint)content.Length);
            }
        }
    }
}
