using System.Text;

namespace Nono.Supervisor.Git;

/// <summary>One setting of a git configuration file. <see cref="Value"/> is null for a key written
/// without '=' (git reads it as boolean true). Section and key are lower-case, as git compares them;
/// the subsection keeps its case (except in the old <c>[section.sub]</c> form, which git lower-cases).</summary>
internal sealed record GitConfigEntry(string Section, string? Subsection, string Key, string? Value, string SourceFile, int Line)
{
    /// <summary><c>section.subsection.key</c> or <c>section.key</c>, as <c>git config</c> names it.</summary>
    public string Name => Subsection is null ? $"{Section}.{Key}" : $"{Section}.{Subsection}.{Key}";
}

/// <summary>A git configuration file git itself would refuse; nothing of it is used.</summary>
internal sealed class GitConfigSyntaxException(string file, int line, string problem)
    : Exception($"{file} line {line}: {problem}")
{
    public string File { get; } = file;
}

/// <summary>
/// Reads git's configuration syntax (git-config(1), "Syntax"): sections <c>[name]</c>,
/// <c>[name "subsection"]</c> and the old <c>[name.subsection]</c>; <c>key = value</c> or a bare
/// <c>key</c>; '#' and ';' comments outside quotes; double quotes; the escapes \" \\ \n \t \b; a
/// backslash at the end of a line continuing the value. Runs of white space outside quotes become one
/// space per character and are trimmed at both ends, as git does. Anything git would reject is a
/// <see cref="GitConfigSyntaxException"/>, so a file is never half understood.
/// </summary>
internal sealed class GitConfigParser
{
    private readonly string _text;
    private readonly string _file;
    private int _position;
    private int _line = 1;

    private GitConfigParser(string text, string file)
    {
        _text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        _file = file;
        if (_text.StartsWith('\uFEFF'))
        {
            _position = 1;
        }
    }

    public static IReadOnlyList<GitConfigEntry> Parse(string text, string file) => new GitConfigParser(text, file).ParseAll();

    private List<GitConfigEntry> ParseAll()
    {
        var entries = new List<GitConfigEntry>();
        string? section = null;
        string? subsection = null;
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '\n')
            {
                _line++;
                _position++;
            }
            else if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if (c is '#' or ';')
            {
                SkipToEndOfLine();
            }
            else if (c == '[')
            {
                _position++;
                (section, subsection) = ParseSectionHeader();
            }
            else if (char.IsAsciiLetter(c))
            {
                if (section is null)
                {
                    throw Error("a setting before any [section]");
                }

                var line = _line;
                var key = ParseKey();
                entries.Add(new GitConfigEntry(section, subsection, key, ParseValueIfAny(), _file, line));
            }
            else
            {
                throw Error($"unexpected character '{c}'");
            }
        }

        return entries;
    }

    private (string Section, string? Subsection) ParseSectionHeader()
    {
        var name = new StringBuilder();
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '-' or '.'))
        {
            name.Append(char.ToLowerInvariant(_text[_position++]));
        }

        if (name.Length == 0)
        {
            throw Error("an empty section name");
        }

        string? subsection = null;
        if (Peek() is ' ' or '\t')
        {
            while (Peek() is ' ' or '\t')
            {
                _position++;
            }

            if (Peek() != '"')
            {
                throw Error("a subsection name must be in double quotes");
            }

            _position++;
            subsection = ParseQuotedSubsection();
        }

        if (Peek() != ']')
        {
            throw Error("a section header without its closing ']'");
        }

        _position++;
        var text = name.ToString();
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (subsection is null && dot > 0)
        {
            // [section.sub]: the old, case-insensitive way of writing a subsection.
            return (text[..dot], text[(dot + 1)..]);
        }

        return (text, subsection);
    }

    private string ParseQuotedSubsection()
    {
        var value = new StringBuilder();
        while (true)
        {
            var c = Next() ?? throw Error("a subsection name without its closing quote");
            if (c == '\n')
            {
                throw Error("a line break inside a subsection name");
            }

            if (c == '"')
            {
                return value.ToString();
            }

            if (c == '\\')
            {
                c = Next() ?? throw Error("a subsection name without its closing quote");
                if (c == '\n')
                {
                    throw Error("a line break inside a subsection name");
                }
            }

            value.Append(c);
        }
    }

    private string ParseKey()
    {
        var key = new StringBuilder();
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '-'))
        {
            key.Append(char.ToLowerInvariant(_text[_position++]));
        }

        return key.ToString();
    }

    private string? ParseValueIfAny()
    {
        while (Peek() is ' ' or '\t')
        {
            _position++;
        }

        switch (Peek())
        {
            case null or '\n':
                return null;
            case '#' or ';':
                SkipToEndOfLine();
                return null;
            case '=':
                _position++;
                return ParseValue();
            default:
                throw Error($"unexpected character '{Peek()}' after a key name");
        }
    }

    private string ParseValue()
    {
        var value = new StringBuilder();
        var quoted = false;
        var pendingSpaces = 0;
        while (true)
        {
            var c = Next();
            if (c is null or '\n')
            {
                if (quoted)
                {
                    throw Error("a value without its closing quote");
                }

                if (c == '\n')
                {
                    _line++;
                }

                return value.ToString();
            }

            if (!quoted && c is '#' or ';')
            {
                SkipToEndOfLine();
                return value.ToString();
            }

            if (!quoted && char.IsWhiteSpace(c.Value))
            {
                pendingSpaces += value.Length > 0 ? 1 : 0;
                continue;
            }

            value.Append(' ', pendingSpaces);
            pendingSpaces = 0;
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '\\')
            {
                var escaped = Next();
                switch (escaped)
                {
                    case '\n':
                        _line++;
                        break;
                    case 'n': value.Append('\n'); break;
                    case 't': value.Append('\t'); break;
                    case 'b': value.Append('\b'); break;
                    case '"' or '\\': value.Append(escaped.Value); break;
                    default: throw Error("an unknown escape sequence in a value");
                }
            }
            else
            {
                value.Append(c.Value);
            }
        }
    }

    private void SkipToEndOfLine()
    {
        while (_position < _text.Length && _text[_position] != '\n')
        {
            _position++;
        }
    }

    private char? Peek() => _position < _text.Length ? _text[_position] : null;

    private char? Next() => _position < _text.Length ? _text[_position++] : null;

    private GitConfigSyntaxException Error(string problem) => new(_file, _line, problem);
}
