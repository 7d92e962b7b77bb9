using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Policy;

/// <summary>
/// The sandbox's own temporary directory, <c>/tmp/nono-&lt;uid&gt;</c>. The host's /tmp is never
/// granted by default: it holds other programs' unix sockets (tmux, ssh-agent, X11), and
/// connecting to one of them is a way out of any filesystem sandbox. `nono wrap` leaves no
/// process behind to clean up a per-run directory, so the directory is per user and reused.
/// </summary>
public static unsafe class PrivateTemp
{
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasic = 0x7ff;

    public static string PathFor(uint uid) => $"/tmp/nono-{uid}";

    /// <summary>Creates the directory (0700) when missing and checks that it is a real directory
    /// owned by this user that nobody else can enter; otherwise refuses.</summary>
    public static string Ensure()
    {
        var uid = Posix.GetEuid();
        var path = PathFor(uid);
        if (Libc.Mkdir(path, Convert.ToUInt32("700", 8)) != 0 && Errno.Last != Errno.EEXIST)
        {
            throw new SandboxUnavailableException($"Cannot create the sandbox's temporary directory {path}: {Errno.Describe(Errno.Last)}.");
        }

        var buffer = stackalloc byte[256];
        if (Libc.Statx(-100 /* AT_FDCWD */, path, AtSymlinkNoFollow, StatxBasic, buffer) != 0)
        {
            throw new SandboxUnavailableException($"Cannot inspect {path}: {Errno.Describe(Errno.Last)}.");
        }

        var owner = *(uint*)(buffer + 20);
        var mode = *(ushort*)(buffer + 28);
        if ((mode & 0xF000) != 0x4000 || owner != uid || (mode & 0x3F) != 0)
        {
            throw new SandboxUnavailableException(
                $"{path} is not a private directory owned by uid {uid} (someone else may have created it); remove it and try again.");
        }

        return path;
    }
}
