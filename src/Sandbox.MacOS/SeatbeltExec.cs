using System.Runtime.InteropServices;
using System.Text;
using Nono.Sandbox.MacOS.Native;

namespace Nono.Sandbox.MacOS;

/// <summary>
/// The macOS counterpart of the Linux trampoline's last steps: confine this process with Seatbelt,
/// then execve the target, so that nothing of nono stays between the caller and the program.
/// Returns only on failure, with the Linux exit codes: 126 when the sandbox could not be applied,
/// 127 when the target could not be executed; the reason is written to stderr first.
/// </summary>
public static unsafe class SeatbeltExec
{
    public const int SetupFailedExitCode = 126;
    public const int CannotExecuteExitCode = 127;

    private const int Enoent = 2;
    private const int Eacces = 13;
    private const int Enotdir = 20;
    private const int Enoexec = 8;

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
            return SetupFailedExitCode;
        }

        if (argv.Append(executable).Concat(environment).Any(value => value.Contains('\0', StringComparison.Ordinal)))
        {
            Console.Error.WriteLine("nono: an argument or environment entry contains a NUL character.");
            return SetupFailedExitCode;
        }

        // Everything execve needs is marshalled before the sandbox goes up: afterwards this process
        // may no longer be allowed to do what marshalling needs.
        var path = ToCString(executable);
        var nativeArgv = ToCStringArray(argv);
        var nativeEnv = ToCStringArray(environment);
        try
        {
            try
            {
                SeatbeltSandbox.ApplyToCurrentProcess(policy, context);
            }
            catch (Exception error) when (error is SandboxUnavailableException or PolicyException)
            {
                Console.Error.WriteLine($"nono: cannot sandbox: {error.Message}");
                return SetupFailedExitCode;
            }

            // The runtime ignores SIGPIPE and may block signals on this thread; both would survive
            // execve and change how the target behaves (`yes | head` would never end).
            uint empty = 0;
            ExecInterop.Signal(ExecInterop.SigPipe, ExecInterop.SigDefault);
            _ = ExecInterop.SigProcMask(ExecInterop.SigSetMask, &empty, null);
            ExecInterop.Execve(path, nativeArgv, nativeEnv);
            var errno = Marshal.GetLastPInvokeError();
            ExecInterop.Signal(ExecInterop.SigPipe, ExecInterop.SigIgnore);
            Console.Error.WriteLine($"nono: cannot execute '{executable}': {Marshal.GetPInvokeErrorMessage(errno)}");
            return errno is Enoent or Eacces or Enotdir or Enoexec ? CannotExecuteExitCode : SetupFailedExitCode;
        }
        finally
        {
            FreeArray(nativeArgv, argv.Count);
            FreeArray(nativeEnv, environment.Count);
            NativeMemory.Free(path);
        }
    }

    private static byte* ToCString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var buffer = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(value, new Span<byte>(buffer, length));
        buffer[length] = 0;
        return buffer;
    }

    private static byte** ToCStringArray(IReadOnlyList<string> values)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < values.Count; i++)
        {
            array[i] = ToCString(values[i]);
        }

        return array;
    }

    private static void FreeArray(byte** array, int count)
    {
        for (var i = 0; i < count; i++)
        {
            NativeMemory.Free(array[i]);
        }

        NativeMemory.Free(array);
    }
}
