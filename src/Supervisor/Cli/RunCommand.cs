using System.CommandLine;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Session;

namespace Nono.Supervisor.Cli;

/// <summary>
/// `nono run [flags] -- CMD ARGS...`: the supervised session. nono stays alive as the child's only
/// way to the network (the proxy), forwards signals, and tears everything down when the child exits.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var options = new SessionOptions();
        var command = CommandArgument.Create();

        var run = new Command("run", "Run a command in the sandbox, with the filtering, credential-injecting proxy as its only network");
        options.AddTo(run);
        run.Arguments.Add(command);
        run.SetAction((result, _) => CommandArgument.Validate(result, command, "run") is { } argv
            ? StartAsync(options, result, argv, terminal: false)
            : Task.FromResult(ExitCodes.Usage));
        return run;
    }

    /// <summary>Shared by `run` and `shell`: builds the request and runs the session of this platform.</summary>
    public static Task<int> StartAsync(SessionOptions options, ParseResult result, IReadOnlyList<string> argv, bool terminal)
    {
        var name = terminal ? "shell" : "run";
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Console.Error.WriteLine($"nono: {name} runs on Linux and macOS only.");
            return Task.FromResult(ExitCodes.SandboxFailed);
        }

        SessionRequest request;
        try
        {
            request = options.ToRequest(result, argv, Environment.CurrentDirectory) with { Terminal = terminal };
        }
        catch (ProfileException error)
        {
            Console.Error.WriteLine($"nono: {error.Message}");
            return Task.FromResult(ExitCodes.Usage);
        }

        return RunSession(request);
    }

    /// <summary>The one place the platform is chosen: Landlock, seccomp and namespaces on Linux,
    /// Seatbelt on macOS. Both sessions take the same request and report the same exit statuses.</summary>
    internal static Task<int> RunSession(SessionRequest request)
    {
        if (OperatingSystem.IsMacOS())
        {
            return SessionSequence.RunAsync(request, new MacOSSession());
        }

        if (OperatingSystem.IsLinux())
        {
            return SessionSequence.RunAsync(request, new LinuxSession(request));
        }

        Console.Error.WriteLine("nono: supervised sessions run on Linux and macOS only.");
        return Task.FromResult(ExitCodes.SandboxFailed);
    }
}
