using System.CommandLine;
using System.CommandLine.Parsing;

namespace Nono.Supervisor.Cli;

/// <summary>The trailing `CMD ARGS...` of `nono run` and `nono wrap`, and the checks on it.</summary>
internal static class CommandArgument
{
    public static Argument<string[]> Create() => new("command")
    {
        Description = "The command to run and its arguments (after --)",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>
    /// The command line to run, or null after printing why it cannot be taken. The parser reads
    /// options wherever they appear, so in `nono wrap make --allow-net` the flag would widen the
    /// sandbox instead of reaching make; any option of nono's after the command's first word is
    /// therefore refused. After `--` every word belongs to the command.
    /// </summary>
    public static IReadOnlyList<string>? Validate(ParseResult result, Argument<string[]> argument, string verb)
    {
        var argv = result.GetValue(argument) ?? [];
        if (argv.Length == 0)
        {
            Console.Error.WriteLine($"nono: {verb} needs a command: nono {verb} [flags] -- CMD ARGS...");
            return null;
        }

        if (argv[0].StartsWith('-'))
        {
            // An unknown flag lands in the command argument; no program name starts with '-'.
            Console.Error.WriteLine($"nono: unknown option '{argv[0]}' (put the command after --)");
            return null;
        }

        if (OptionAfterCommand(result, argument) is { } option)
        {
            Console.Error.WriteLine(
                $"nono: '{option}' comes after the command '{argv[0]}', so it is ambiguous; put nono's options before the command "
                + $"and the command after --: nono {verb} [flags] -- {argv[0]} ...");
            return null;
        }

        return argv;
    }

    private static string? OptionAfterCommand(ParseResult result, Argument<string[]> argument)
    {
        var first = result.GetResult(argument)?.Tokens.FirstOrDefault();
        if (first is null)
        {
            return null;
        }

        var start = -1;
        for (var i = 0; i < result.Tokens.Count; i++)
        {
            if (ReferenceEquals(result.Tokens[i], first))
            {
                start = i;
                break;
            }
        }

        for (var i = start + 1; start >= 0 && i < result.Tokens.Count; i++)
        {
            switch (result.Tokens[i].Type)
            {
                case TokenType.DoubleDash:
                    return null;
                case TokenType.Option:
                    return result.Tokens[i].Value;
            }
        }

        return null;
    }
}
