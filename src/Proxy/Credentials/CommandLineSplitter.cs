using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Nono.Proxy.Credentials;

/// <summary>
/// Splits a <c>cmd://</c> command line into arguments the way a POSIX shell splits words, and does
/// nothing else a shell does: no variables, globs, pipes or redirections. White space separates
/// arguments; '...' is literal; in "..." a backslash escapes only <c>"</c>, <c>\</c>, <c>$</c> and
/// <c>`</c>; outside quotes a backslash makes the next character literal. Anything that needs a shell
/// can ask for one: <c>cmd:///bin/sh -c 'pass show x | head -n1'</c>.
/// </summary>
internal static class CommandLineSplitter
{
    public static bool TrySplit(string commandLine, [NotNullWhen(true)] out List<string>? arguments, [NotNullWhen(false)] out string? error)
    {
        arguments = [];
        var current = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < commandLine.Length)
        {
            var c = commandLine[i];
            if (c is ' ' or '\t')
            {
                if (inWord)
                {
                    arguments.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                i++;
                continue;
            }

            inWord = true;
            switch (c)
            {
                case '\'':
                    var close = commandLine.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        return Fail("a single quote is not closed", out arguments, out error);
                    }

                    current.Append(commandLine, i + 1, close - i - 1);
                    i = close + 1;
                    break;
                case '"':
                    if (!TryReadDoubleQuoted(commandLine, ref i, current))
                    {
                        return Fail("a double quote is not closed", out arguments, out error);
                    }

                    break;
                case '\\':
                    if (i + 1 >= commandLine.Length)
                    {
                        return Fail("it ends with a lone backslash", out arguments, out error);
                    }

                    current.Append(commandLine[i + 1]);
                    i += 2;
                    break;
                default:
                    current.Append(c);
                    i++;
                    break;
            }
        }

        if (inWord)
        {
            arguments.Add(current.ToString());
        }

        if (arguments.Count == 0)
        {
            return Fail("it is empty", out arguments, out error);
        }

        error = null;
        return true;
    }

    /// <summary>Reads from the opening quote at <paramref name="i"/> to just past the closing one.</summary>
    private static bool TryReadDoubleQuoted(string text, ref int i, StringBuilder into)
    {
        var j = i + 1;
        while (j < text.Length)
        {
            var c = text[j];
            if (c == '"')
            {
                i = j + 1;
                return true;
            }

            if (c == '\\' && j + 1 < text.Length && text[j + 1] is '"' or '\\' or '$' or '`')
            {
                into.Append(text[j + 1]);
                j += 2;
                continue;
            }

            into.Append(c);
            j++;
        }

        return false;
    }

    private static bool Fail(string why, out List<string>? arguments, out string error)
    {
        arguments = null;
        error = $"The command line cannot be split into arguments: {why}.";
        return false;
    }
}
