using Nono.Sandbox;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// Grants that lead into one process's directory under /proc (`/proc/self`, `/dev/fd`, which links
/// to it). Resolved in the supervisor they name nono's own `/proc/PID`, but the program is another
/// process, started later inside a PID namespace with its own /proc, so no such directory can be
/// named for it in advance. Each becomes read access to /proc as a whole: inside the program's PID
/// namespace that shows only the session's processes. The write part is dropped, because a write
/// through `/proc/self/fd/N` is checked by the kernel against the file the link leads to.
/// </summary>
internal static class PerProcessProc
{
    public static bool IsPerProcess(string real)
    {
        if (!real.StartsWith("/proc/", StringComparison.Ordinal))
        {
            return false;
        }

        var component = real.AsSpan("/proc/".Length);
        var end = component.IndexOf('/');
        component = end < 0 ? component : component[..end];
        return component.Length > 0 && !component.ContainsAnyExcept("0123456789");
    }

    public static FsGrant Grant(FsAccess access) => FsGrant.Directory("/proc", (access & ~FsAccess.Write) | FsAccess.Read);
}
