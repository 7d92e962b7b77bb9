using System.Text;

namespace Nono.Sandbox.Persistence;

/// <summary>
/// Reads git's configuration syntax exactly as git's own parser does (config.c): sections with
/// quoted or old-style dotted subsections, a key on the same line as its header, bare keys, quoting,
/// the escapes git accepts and no others, backslash-newline continuation, '#' and ';' comments,
/// CRLF, a leading UTF-8 byte-order mark. Anything git would reject is a
/// <see cref="GitConfigFormatException"/>, so a file crafted to be read one way by nono and
/// another by git is refused as a whole rather than half-understood.
/// </summary>
public sealed class GitConfigFile
{
    private readonly string _text;
    private int _position;
    private int _line = 1;
    private string _section = string.Empty;
    private string? _subsection;

    private GitConfigFile(string text)
    {
        _text = text;
    }

    public IReadOnlyList<GitConfigEntry> Entries { get; private set; } = [];

    public string Text => _text;

    public static GitConfigFile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var file = new GitConfigFile(text);
        file.Entries = file.ParseAll();
        return file;
    }

    /// <summary>Reads and parses a file; null when it does not exist.</summary>
    public static GitConfigFile? Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return Parse(text);
    }

    /// <summary>Every value of the named variable (lower-case section and key), in file order.</summary>
    public IEnumerable<string?> Values(string section, string? subsection, string key) =>
        Entries.Where(entry => entry.Section == section && entry.Subsection == subsection && entry.Key == key).Select(entry => entry.Value);

    private List<GitConfigEntry> ParseAll()
    {
        var entries = new List<GitConfigEntry>();
        if (_text.StartsWith('\uFEFF'))
        {
            _position = 1;
        }

        var comment = false;
        var lineStart = _position;
        while (true)
        {
            var at = _position;
            var c = Next();
            if (c == '\n')
            {
                if (at >= _text.Length)
                {
                    return entries;
                }

                comment = false;
                lineStart = _position;
                continue;
            }

            if (comment || IsSpace(c))
            {
                continue;
            }

            if (c is '#' or ';')
            {
                comment = true;
                continue;
            }

            if (c == '[')
            {
                ReadHeader();
                continue;
            }

            if (!char.IsAsciiLetter(c))
            {
                throw Error("a variable name must start with a letter");
            }

            var line = _line;
            var key = ReadKey(c, out var value);
            var end = Math.Min(_position, _text.Length);
            entries.Add(new GitConfigEntry(_section, _subsection, key, value, line, lineStart, at, end));
            lineStart = end;
        }
    }

    private void ReadHeader()
    {
        var name = new StringBuilder();
        while (true)
        {
            var c = Next();
            if (AtEnd(c))
            {
                throw Error("a section header is not closed");
            }

            if (c == ']')
            {
                SetSection(name.ToString(), null, dotted: true);
                return;
            }

            if (IsSpace(c))
            {
                SetSection(name.ToString(), ReadQuotedSubsection(c), dotted: false);
                return;
            }

            if (!IsKeyChar(c) && c != '.')
            {
                throw Error("a section name holds a character git does not allow");
            }

            name.Append(char.ToLowerInvariant(c));
        }
    }

    private string ReadQuotedSubsection(char c)
    {
        while (IsSpace(c))
        {
            if (c == '\n')
            {
                throw Error("a section header ends in the middle of the line");
            }

            c = Next();
        }

        if (c != '"')
        {
            throw Error("a subsection must be quoted: [section \"name\"]");
        }

        var subsection = new StringBuilder();
        while (true)
        {
            c = Next();
            if (c == '\n')
            {
                throw Error("a subsection name is not closed");
            }

            if (c == '"')
            {
                break;
            }

            if (c == '\\')
            {
                c = Next();
                if (c == '\n')
                {
                    throw Error("a subsection name is not closed");
                }
            }

            subsection.Append(c);
        }

        if (Next() != ']')
        {
            throw Error("a section header must end with ']' right after the subsection");
        }

        return subsection.ToString();
    }

    private void SetSection(string name, string? subsection, bool dotted)
    {
        if (dotted && name.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0)
        {
            // Old-style [section.sub]: git keeps the whole (lower-cased) name; the first dot splits it.
            _section = name[..dot];
            _subsection = name[(dot + 1)..];
            return;
        }

        _section = name;
        _subsection = subsection;
    }

    private string ReadKey(char first, out string? value)
    {
        var key = new StringBuilder().Append(char.ToLowerInvariant(first));
        char c;
        while (true)
        {
            var at = _position;
            c = Next();
            if (at >= _text.Length || !IsKeyChar(c))
            {
                break;
            }

            key.Append(char.ToLowerInvariant(c));
        }

        while (c is ' ' or '\t')
        {
            c = Next();
        }

        value = null;
        if (c != '\n')
        {
            if (c != '=')
            {
                throw Error($"'{key}' is followed by something other than '=' or the end of the line");
            }

            value = ReadValue();
        }

        return key.ToString();
    }

    private string ReadValue()
    {
        var value = new StringBuilder();
        bool quote = false, comment = false;
        var spaces = 0;
        while (true)
        {
            var c = Next();
            if (c == '\n')
            {
                if (quote)
                {
                    throw Error("a quoted value is not closed");
                }

                return value.ToString();
            }

            if (comment)
            {
                continue;
            }

            if (IsSpace(c) && !quote)
            {
                if (value.Length > 0)
                {
                    spaces++;
                }

                continue;
            }

            if (!quote && c is ';' or '#')
            {
                comment = true;
                continue;
            }

            value.Append(' ', spaces);
            spaces = 0;
            if (c == '\\')
            {
                c = Next();
                switch (c)
                {
                    case '\n':
                        continue;
                    case 't':
                        c = '\t';
                        break;
                    case 'b':
                        c = '\b';
                        break;
                    case 'n':
                        c = '\n';
                        break;
                    case '\\' or '"':
                        break;
                    default:
                        throw Error("a value holds an escape git does not know");
                }

                value.Append(c);
                continue;
            }

            if (c == '"')
            {
                quote = !quote;
                continue;
            }

            value.Append(c);
        }
    }

    /// <summary>The next character as git sees it: CRLF is one newline, the end of the text is a newline.</summary>
    private char Next()
    {
        if (_position >= _text.Length)
        {
            _position = _text.Length + 1;
            return '\n';
        }

        var c = _text[_position++];
        if (c == '\0')
        {
            throw Error("the file holds a NUL byte");
        }

        if (c == '\r' && _position < _text.Length && _text[_position] == '\n')
        {
            _position++;
            c = '\n';
        }

        if (c == '\n')
        {
            _line++;
        }

        return c;
    }

    private bool AtEnd(char c) => c == '\n' && _position > _text.Length;

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r';

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    private GitConfigFormatException Error(string what) => new($"line {_line}: {what}");
}
