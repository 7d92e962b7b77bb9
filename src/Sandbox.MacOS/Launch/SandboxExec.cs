using System.Runtime.InteropServices;
using Nono.Interop;
using Nono.Sandbox.MacOS.Native;

namespace Nono.Sandbox.MacOS.Launch;

/// <summary>
/// The macOS counterpart of the Linux trampoline's last steps: confine this process with Seatbelt,
/// then execve the target, so that nothing of nono stays between the caller and the program.
/// `nono wrap` calls it directly; the stage 2 of `nono run` and `nono shell` calls it after taking
/// its spec. Returns only on failure, with the Linux exit codes: 126 when the sandbox could not be
/// applied, 127 when the target could not be executed; the reason is written to stderr first.
/// </summary>
public static unsafe class SandboxExec
{
    /// <summary>Stage 2: reads the launch spec from inherited descriptor <paramref name="descriptor"/>
    /// (a decimal number), then applies Seatbelt and executes the target (<see cref="Stage2"/>).</summary>
    public static int RunStage2(string descriptor) => Stage2.Run(descriptor);

    public static int ExecInPlace(
        SandboxPolicy policy,
        SeatbeltContext context,
        string executable,
        IReadOnlyList<string> argv,
        IReadOnlyList<string> environment)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentNullException.ThrowIfNull(environment);
        if (!SeatbeltPlatform.IsSupported)
        {
            Console.Error.WriteLine("nono: Seatbelt exists on macOS only; refusing to run the program unconfined.");
            return LaunchExitStatus.SetupFailed;
        }

        if (NativeStrings.AnyContainsNul(argv.Append(executable).Concat(environment)))
        {
            Console.Error.WriteLine("nono: an argument or environment entry contains a NUL character.");
            return LaunchExitStatus.SetupFailed;
        }

        // Everything execve needs is marshalled before the sandbox goes up: afterwards this process
        // may no longer be allowed to do what marshalling needs.
        var path = NativeStrings.Allocate(executable);
        using var nativeArgv = new NativeStrings(argv);
        using var nativeEnv = new NativeStrings(environment);
        try
        {
            try
            {
                SeatbeltSandbox.ApplyToCurrentProcess(policy, context);
            }
            catch (Exception error) when (error is SandboxUnavailableException or PolicyException)
            {
                Console.Error.WriteLine($"nono: cannot sandbox: {error.Message}");
                return LaunchExitStatus.SetupFailed;
            }

            // The runtime ignores SIGPIPE and may block signals on this thread; both would survive
            // execve and change how the target behaves (`yes | head` would never end).
            uint empty = 0;
            Posix.Signal(ExecInterop.SigPipe, ExecInterop.SigDefault);
            _ = ExecInterop.SigProcMask(ExecInterop.SigSetMask, &empty, null);
            Posix.Execve(path, nativeArgv.Pointer, nativeEnv.Pointer);
            var errno = Marshal.GetLastPInvokeError();
            Posix.Signal(ExecInterop.SigPipe, ExecInterop.SigIgnore);
            Console.Error.WriteLine($"nono: cannot execute '{executable}': {Marshal.GetPInvokeErrorMessage(errno)}");
            return LaunchExitStatus.IsCannotExecuteErrno(errno) ? LaunchExitStatus.CannotExecute : LaunchExitStatus.SetupFailed;
        }
        finally
        {
            NativeMemory.Free(path);
        }
    }
}
