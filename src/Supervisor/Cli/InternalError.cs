namespace Nono.Supervisor.Cli;

/// <summary>
/// The last resort for an exception no command turned into a message. The user gets one line and
/// exit status 125; the stack trace only when asked for, since it means nothing to most users.
/// nono's exception messages never carry a secret, so the message itself is safe to print.
/// </summary>
internal static class InternalError
{
    public const string TraceVariable = "NONO_TRACE";

    public static int Report(Exception error)
    {
        var inner = error is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : error;
        Console.Error.WriteLine($"nono: internal error: {inner.GetType().Name}: {inner.Message}");
        if (Environment.GetEnvironmentVariable(TraceVariable) == "1")
        {
            Console.Error.WriteLine(inner.ToString());
        }
        else
        {
            Console.Error.WriteLine($"nono: {TraceVariable}=1 prints the stack trace for a bug report");
        }

        return ExitCodes.InternalError;
    }
}
