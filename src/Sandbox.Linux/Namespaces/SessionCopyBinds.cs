using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Namespaces;

/// <summary>
/// Enforces <see cref="SandboxPolicy.SessionCopies"/> in the child's mount namespace: the session's
/// copy is bound over the real file, writable. The child's writes land in the copy; replacing the file
/// by rename fails with EBUSY (it is a mount point), and Claude Code then rewrites it in place, which
/// again lands in the copy. The real file is not touched for the whole session, so a session that is
/// killed leaves it as it was.
/// </summary>
internal static class SessionCopyBinds
{
    private const nuint MsNosuid = 2, MsNodev = 4, MsRemount = 32, MsBind = 4096;

    public static void Apply(IReadOnlyList<SessionCopy> copies)
    {
        foreach (var copy in copies)
        {
            if (Libc.Mount(copy.CopyPath, copy.Path, null, MsBind, null) != 0)
            {
                throw new SandboxSetupException($"bind the session copy '{copy.CopyPath}' over '{copy.Path}'", Errno.Last);
            }

            if (Libc.Mount(null, copy.Path, null, MsRemount | MsBind | MsNosuid | MsNodev, null) != 0)
            {
                throw new SandboxSetupException($"remount '{copy.Path}' nosuid,nodev", Errno.Last);
            }
        }
    }
}
