using System.Text;

namespace Nono.Sandbox.MacOS.Tests;

/// <summary>A parsed SBPL form: a list, a bare symbol or number, or a string literal.</summary>
internal abstract record SExpression
{
    public sealed record List(IReadOnlyList<SExpression> Items) : SExpression
    {
        public string? Head => Items.Count > 0 && Items[0] is Atom atom ? atom.Text : null;

        public override string ToString() => $"({string.Join(' ', Items)})";
    }

    public sealed record Atom(string Text) : SExpression
    {
        public override string ToString() => Text;
    }

    public sealed record Str(string Value) : SExpression
    {
        public override string ToString() => $"\"{Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    }

    /// <summary>Every node in the tree, depth first.</summary>
    public IEnumerable<SExpression> Descendants()
    {
        yield return this;
        if (this is List list)
        {
            foreach (var node in list.Items.SelectMany(item => item.Descendants()))
            {
                yield return node;
            }
        }
    }
}

/// <summary>
/// A strict reader for the Scheme subset the profile generator may emit: lists, atoms, string
/// literals whose only escapes are \" and \\, and ';' comments. It reads strings the way the
/// Seatbelt reader does (a string runs to the first unescaped quote, across newlines), so a
/// profile it accepts has the same structure for the kernel; anything else the generator should
/// never produce (other escapes, #"..." literals, unbalanced parentheses) is an error.
/// </summary>
internal static class SExpressionReader
{
    public static IReadOnlyList<SExpression> ReadAll(string text)
    {
        var forms = new List<SExpression>();
        var position = 0;
        while (true)
        {
            SkipSpaceAndComments(text, ref position);
            if (position == text.Length)
            {
                return forms;
            }

            forms.Add(Read(text, ref position));
        }
    }

    private static SExpression Read(string text, ref int position)
    {
        SkipSpaceAndComments(text, ref position);
        if (position == text.Length)
        {
            throw new FormatException("Unexpected end of profile.");
        }

        var c = text[position];
        if (c == '(')
        {
            position++;
            var items = new List<SExpression>();
            while (true)
            {
                SkipSpaceAndComments(text, ref position);
                if (position == text.Length)
                {
                    throw new FormatException("Unbalanced '(': the profile ends inside a list.");
                }

                if (text[position] == ')')
                {
                    position++;
                    return new SExpression.List(items);
                }

                items.Add(Read(text, ref position));
            }
        }

        if (c == ')')
        {
            throw new FormatException($"Unbalanced ')' at offset {position}.");
        }

        if (c == '"')
        {
            return ReadString(text, ref position);
        }

        if (c == '#')
        {
            throw new FormatException($"A '#' literal at offset {position}: the generator must not emit one.");
        }

        var start = position;
        while (position < text.Length && !char.IsWhiteSpace(text[position]) && text[position] is not ('(' or ')' or '"' or ';'))
        {
            position++;
        }

        return new SExpression.Atom(text[start..position]);
    }

    private static SExpression.Str ReadString(string text, ref int position)
    {
        position++;
        var value = new StringBuilder();
        while (true)
        {
            if (position == text.Length)
            {
                throw new FormatException("Unterminated string literal.");
            }

            var c = text[position++];
            if (c == '"')
            {
                return new SExpression.Str(value.ToString());
            }

            if (c == '\\')
            {
                if (position == text.Length || text[position] is not ('"' or '\\'))
                {
                    throw new FormatException($"Unexpected escape at offset {position - 1}.");
                }

                c = text[position++];
            }

            value.Append(c);
        }
    }

    private static void SkipSpaceAndComments(string text, ref int position)
    {
        while (position < text.Length)
        {
            if (char.IsWhiteSpace(text[position]))
            {
                position++;
            }
            else if (text[position] == ';')
            {
                while (position < text.Length && text[position] != '\n')
                {
                    position++;
                }
            }
            else
            {
                return;
            }
        }
    }
}
