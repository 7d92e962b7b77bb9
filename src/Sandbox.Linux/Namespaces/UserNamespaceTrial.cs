using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Namespaces;

/// <summary>
/// Creates a user namespace once, the way a launch would, and reports whether that worked. The
/// sysctls say what the kernel allows in general; only a real attempt sees what applies to this
/// process: a container runtime's seccomp profile, an enclosing sandbox (nono inside nono), or an
/// LSM hook all refuse unshare(CLONE_NEWUSER) without leaving a trace in /proc/sys.
/// </summary>
internal static class UserNamespaceTrial
{
    private static readonly string[] TrueCandidates = ["/usr/bin/true", "/bin/true"];

    /// <summary>Null when a namespace could be created and mapped, otherwise why not.</summary>
    public static string? Run(string unshare, bool keepCaps)
    {
        var truePath = TrueCandidates.FirstOrDefault(File.Exists);
        if (truePath is null)
        {
            return "cannot try to create a user namespace: true(1) was not found in /usr/bin or /bin (install coreutils)";
        }

        // The network and mount namespaces a launch asks for too: a container may allow one kind and not another.
        string[] argv = [unshare, "--user", .. keepCaps ? new[] { "--map-current-user" } : ["--map-root-user"], "--net", "--mount", "--", truePath];
        int status;
        try
        {
            // stdout and stderr go to /dev/null: unshare's own complaint would look like nono's error.
            using var devNull = SafeFd.Open("/dev/null", OpenFlags.ReadWrite | OpenFlags.CloseOnExec, "open");
            using var quiet = PosixSpawn.DuplicateHigh(devNull.Fd);
            var pid = PosixSpawn.Spawn(argv, ["PATH=/usr/bin:/bin"], [(quiet.Fd, 1), (quiet.Fd, 2)]);
            status = PosixSpawn.Wait(pid);
        }
        catch (SandboxSetupException error)
        {
            return $"cannot try to create a user namespace: {error.Message}";
        }

        return status == 0
            ? null
            : $"creating one failed ('{string.Join(' ', argv)}' exited with {status}): a container's seccomp profile, "
                + "an enclosing sandbox or a security module forbids it here";
    }
}
