using System.CommandLine;
using Nono.Supervisor.Cli;

namespace Nono.Supervisor;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // The trampoline sits on the launch path of every sandboxed command: skip building the
        // command tree for it.
        if (args.Length == 2 && args[0] == SandboxExecCommand.Name)
        {
            return SandboxExecCommand.Run(args[1]);
        }

        var root = new RootCommand(
            "nono: run untrusted programs in a kernel-enforced sandbox whose only way to the network is a filtering, credential-injecting proxy.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ShellCommand.Create());
        root.Subcommands.Add(WrapCommand.Create());
        root.Subcommands.Add(ProfileCommand.Create());
        root.Subcommands.Add(ProxyCommand.Create());
        root.Subcommands.Add(SandboxExecCommand.Create());

        // No @file response files: nono would read a file the sandbox may deny the program and splice
        // it into the command's arguments (curl -d @data.json would silently change meaning).
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0)
        {
            // Usage errors exit 2 (as with most Unix tools) so that they cannot be mistaken for the
            // status of a command that ran.
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine($"nono: {error.Message}");
            }

            Console.Error.WriteLine("Try 'nono --help' or 'nono <command> --help'.");
            return ExitCodes.Usage;
        }

        // nono's own handler replaces the library's, which prints a stack trace and exits 1 - a
        // status a caller cannot tell from the command's own.
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        try
        {
            return await result.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            return InternalError.Report(error);
        }
    }
}
