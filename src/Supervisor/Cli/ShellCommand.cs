using System.CommandLine;

namespace Nono.Supervisor.Cli;

/// <summary>
/// `nono shell [flags] [--shell PATH]`: `nono run` of the user's shell on a pseudo-terminal owned by
/// nono. The user's terminal is in raw mode for the session (so Ctrl-C, Ctrl-Z and job control act
/// inside the sandbox), follows window-size changes, and is restored on every exit path.
/// </summary>
internal static class ShellCommand
{
    public static Command Create()
    {
        var options = new SessionOptions();
        var shellPath = new Option<string>("--shell") { Description = "The shell to run (default: $SHELL, else /bin/sh)", HelpName = "path" };
        var shell = new Command("shell", "Start an interactive shell in the sandbox, supervised like 'nono run'");
        options.AddTo(shell);
        shell.Options.Add(shellPath);
        shell.SetAction((result, _) =>
        {
            var program = result.GetValue(shellPath) is { Length: > 0 } given
                ? given
                : Environment.GetEnvironmentVariable("SHELL") is { Length: > 0 } user ? user : "/bin/sh";
            return RunCommand.StartAsync(options, result, [program], terminal: true);
        });
        return shell;
    }
}
