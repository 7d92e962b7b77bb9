using System.Runtime.CompilerServices;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

/// <summary>The README's key table lists exactly the rows of the key table the parser uses.</summary>
public sealed class ProfileKeyDocumentationTests
{
    [Fact]
    public void Readme_lists_every_profile_key_with_its_class()
    {
        var readme = File.ReadAllLines(ReadmePath());
        var documented = readme
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split(" | "))
            .Where(cells => cells.Length >= 3)
            .ToDictionary(cells => cells[0][3..^1], cells => cells[1], StringComparer.Ordinal);

        foreach (var key in ProfileKeys.All)
        {
            var expected = key.Class switch
            {
                KeyClass.Enforced => "enforced",
                KeyClass.Ignored => "ignored (warning)",
                _ => "refused (exit 2)",
            };
            Assert.True(documented.TryGetValue(key.Path, out var shown), $"README.md does not list '{key.Path}'");
            Assert.Equal(expected, shown);
        }
    }

    private static string ReadmePath([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Join(Path.GetDirectoryName(source)!, "..", "..", "README.md"));
}
