using System.Runtime.CompilerServices;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

/// <summary>The README's key table lists the rows of the key table the parser uses, with their class and merge rule.</summary>
public sealed class ProfileKeyDocumentationTests
{
    [Fact]
    public void Readme_lists_every_profile_key_with_its_class()
    {
        var readme = File.ReadAllLines(ReadmePath());
        var documented = readme
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split(" | "))
            .Where(cells => cells.Length >= 4)
            .ToDictionary(cells => cells[0][3..^1], cells => (Class: cells[1], Merge: cells[2]), StringComparer.Ordinal);

        foreach (var key in ProfileKeys.All)
        {
            var expected = key.Class switch
            {
                KeyClass.Enforced => "enforced",
                KeyClass.Ignored => "ignored (warning)",
                _ => "refused (exit 2)",
            };
            Assert.True(documented.TryGetValue(key.Path, out var shown), $"README.md does not list '{key.Path}'");
            Assert.Equal(expected, shown.Class);
            Assert.Equal(MergeCell(key), shown.Merge);
        }
    }

    /// <summary>How the README says a key combines across layers (extends, platform overrides, flags).</summary>
    private static string MergeCell(ProfileKey key) => ProfileKeys.HoldingOf(key) switch
    {
        KeyHolding.OwnField => key.Field!.Rule switch
        {
            MergeRule.Append => "append",
            MergeRule.MergeByKey => "merge by name",
            _ => "override",
        },
        KeyHolding.Alias => "as " + string.Join(", ", key.AliasOf!.Select(path => $"`{path[(path.LastIndexOf('.') + 1)..]}`")),
        KeyHolding.Section => "per key",
        KeyHolding.InParentField => "with its parent",
        KeyHolding.ResolvedFirst => "resolved first",
        _ => "-",
    };

    private static string ReadmePath([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Join(Path.GetDirectoryName(source)!, "..", "..", "README.md"));
}
