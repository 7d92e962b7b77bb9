using System.Text;

namespace Nono.Sandbox.MacOS.Profile;

/// <summary>
/// Accumulates SBPL text. Operations and comments are fixed strings chosen by this assembly; only
/// filters carry policy data, and those are built by <see cref="Sbpl"/>, which quotes them.
/// </summary>
internal sealed class ProfileWriter
{
    private readonly StringBuilder _text = new();

    public void Form(string form) => _text.Append(form).Append('\n');

    public void Blank() => _text.Append('\n');

    /// <summary>A comment line. Never pass policy data here: a newline in it would end the comment.</summary>
    public void Comment(string fixedText)
    {
        if (fixedText.Contains('\n', StringComparison.Ordinal) || fixedText.Contains('\r', StringComparison.Ordinal))
        {
            throw new InvalidOperationException("A profile comment must be a single line.");
        }

        _text.Append("; ").Append(fixedText).Append('\n');
    }

    /// <summary>A rule that applies to every object of the operations (no filter).</summary>
    public void AllowAll(string operations) => _text.Append("(allow ").Append(operations).Append(")\n");

    public void Allow(string operations, params IEnumerable<string> filters) => Rule("allow", operations, filters);

    public void Deny(string operations, params IEnumerable<string> filters) => Rule("deny", operations, filters);

    public override string ToString() => _text.ToString();

    /// <summary>
    /// One rule. Several filters in a rule are alternatives: the rule applies when any matches.
    /// A rule with no filters is left out, because in SBPL it would apply to everything.
    /// </summary>
    private void Rule(string action, string operations, IEnumerable<string> filters)
    {
        var distinct = filters.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            return;
        }

        if (distinct.Count == 1)
        {
            _text.Append('(').Append(action).Append(' ').Append(operations).Append(' ').Append(distinct[0]).Append(")\n");
            return;
        }

        _text.Append('(').Append(action).Append(' ').Append(operations);
        foreach (var filter in distinct)
        {
            _text.Append("\n  ").Append(filter);
        }

        _text.Append(")\n");
    }
}
