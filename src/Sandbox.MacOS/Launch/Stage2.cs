using System.Runtime.Versioning;
using System.Text.Json;
using Nono.Interop;
using Nono.Sandbox.MacOS.Native;

namespace Nono.Sandbox.MacOS.Launch;

/// <summary>
/// The macOS stage 2, `nono __sandbox-exec &lt;fd&gt;` started by <see cref="SandboxLauncher"/>:
/// read the spec from the inherited descriptor, check the supervisor is still the parent, take the
/// PTY as controlling terminal when asked, change to the working directory, mark stray descriptors
/// close-on-exec, then apply the Seatbelt profile with sandbox_init and execve the target
/// (<see cref="SandboxExec.ExecInPlace"/>). Returns only on failure: 126 with a message naming the
/// step that failed, 127 when the target cannot be executed.
/// </summary>
internal static class Stage2
{
    /// <summary>The hidden command name the trampoline answers to (the same as on Linux).</summary>
    public const string CommandName = Stage2Command.Name;

    public static int Run(string descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (!OperatingSystem.IsMacOS())
        {
            Fail("the Seatbelt trampoline runs on macOS only");
            return LaunchExitStatus.SetupFailed;
        }

        if (!LaunchExitStatus.TryParseDescriptor(descriptor, out var fd))
        {
            Fail($"{CommandName} expects an inherited descriptor number, got '{descriptor}'");
            return LaunchExitStatus.SetupFailed;
        }

        MacOSLaunchSpec spec;
        try
        {
            spec = Prepare(fd);
        }
        catch (Exception error) when (error is SandboxSetupException or JsonException or PolicyException or IOException)
        {
            Fail($"sandbox setup failed: {error.Message}");
            return LaunchExitStatus.SetupFailed;
        }

        var target = spec.Target;
        if (spec.Verbose)
        {
            Console.Error.WriteLine($"nono: debug: applying the Seatbelt profile and executing {target.Executable}");
        }

        return SandboxExec.ExecInPlace(spec.Policy, new SeatbeltContext(spec.Home), target.Executable, target.Arguments, target.Environment);
    }

    /// <summary>Everything before the sandbox goes up; throws with the step that failed.</summary>
    [SupportedOSPlatform("macos")]
    private static MacOSLaunchSpec Prepare(int fd)
    {
        var spec = MacOSLaunchSpec.Decode(SpecPipe.ReadAll(fd));
        spec.Policy.Validate();
        if (spec.Target.Arguments.Count == 0)
        {
            throw new SandboxSetupException("read the launch spec", "the target has no argv[0]");
        }

        // No parent-death signal exists on macOS: at least refuse to start the target for a
        // supervisor that is already gone (the child would have been reparented to launchd).
        if (spec.ParentPid > 0 && Posix.GetPpid() != spec.ParentPid)
        {
            throw new SandboxSetupException("check the supervisor", $"nono (pid {spec.ParentPid}) is no longer running");
        }

        if (spec.ControllingTerminal)
        {
            if (Posix.SetSid() < 0)
            {
                throw new SandboxSetupException("setsid", LaunchInterop.Describe(LaunchInterop.LastError));
            }

            if (Posix.IoctlNoArgument(0, LaunchInterop.TiocSctty) != 0)
            {
                throw new SandboxSetupException("ioctl(TIOCSCTTY) on stdin", LaunchInterop.Describe(LaunchInterop.LastError));
            }
        }

        if (Posix.Chdir(spec.Target.WorkingDirectory) != 0)
        {
            throw new SandboxSetupException($"chdir '{spec.Target.WorkingDirectory}'", LaunchInterop.Describe(LaunchInterop.LastError));
        }

        CloseOnExec.MarkAllAboveStandard();
        return spec;
    }

    private static void Fail(string message) => Console.Error.WriteLine($"nono: {message}");
}
