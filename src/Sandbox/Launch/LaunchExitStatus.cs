namespace Nono.Sandbox;

/// <summary>
/// The exit statuses every launch path reports, and the decoding of a wait status into one.
/// Linux and macOS lay out the wait status the same way (the historical BSD encoding): the low
/// seven bits hold the terminating signal, 0x7f marks a stopped child, and bits 8..15 the exit code.
/// </summary>
public static class LaunchExitStatus
{
    /// <summary>What the user asked for is invalid (flags, profile, policy); nothing was run.</summary>
    public const int Usage = 2;

    /// <summary>The sandbox (or the session around it) could not be set up; nothing was executed.</summary>
    public const int SetupFailed = 126;

    /// <summary>The target itself could not be executed (not found, not executable, refused).</summary>
    public const int CannotExecute = 127;

    /// <summary>The status a shell would report: the exit code, or 128 + N when killed by signal N.</summary>
    public static int FromWaitStatus(int status)
    {
        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    /// <summary>True when errno from execve means "this target cannot be executed" (127) rather than
    /// a failure of the launch machinery (126). The four numbers are the same on Linux and macOS.</summary>
    public static bool IsCannotExecuteErrno(int errno) => errno is 2 /* ENOENT */ or 13 /* EACCES */ or 20 /* ENOTDIR */ or 8 /* ENOEXEC */;

    /// <summary>Parses the descriptor number of `__sandbox-exec &lt;fd&gt;`: decimal, 3 or above (0..2 are stdio).</summary>
    public static bool TryParseDescriptor(string text, out int descriptor) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out descriptor) && descriptor >= 3;
}
