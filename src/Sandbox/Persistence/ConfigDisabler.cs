using System.Text;

namespace Nono.Sandbox.Persistence;

/// <summary>
/// Turns chosen variables of a git configuration file into comments that say who disabled them:
/// each line of the variable becomes <c>#nono-disabled# ORIGINAL LINE</c>, and a section header
/// that shared the variable's line stays, on a line of its own, so that the variables after it keep
/// their section. Deleting the marker at the start of those lines restores them.
/// </summary>
public static class ConfigDisabler
{
    public const string Marker = "#nono-disabled# ";

    /// <summary>The text of <paramref name="config"/> with <paramref name="disable"/> commented out.</summary>
    public static string Disable(GitConfigFile config, IReadOnlyCollection<GitConfigEntry> disable)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(disable);
        var text = config.Text;
        var output = new StringBuilder(text.Length + (disable.Count * 32));
        var position = 0;
        foreach (var entry in config.Entries.Where(disable.Contains).OrderBy(entry => entry.LineStart))
        {
            output.Append(text, position, entry.LineStart - position);
            var header = text[entry.LineStart..entry.KeyStart];
            if (header.Trim().Length > 0)
            {
                output.Append(header.TrimEnd()).Append('\n');
            }

            var body = text[entry.KeyStart..entry.End];
            var lines = body.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (i == lines.Length - 1 && lines[i].Length == 0)
                {
                    break;
                }

                output.Append(Marker).Append(lines[i]).Append('\n');
            }

            position = entry.End;
        }

        output.Append(text, position, text.Length - position);
        return output.ToString();
    }
}
