using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Nono.Proxy.Tests.Unit;

/// <summary>
/// The proxy's namespaces import each other in one direction only (request types at the bottom of the
/// request path, the dispatcher on top): read from the source files' <c>namespace</c> and <c>using</c> lines.
/// </summary>
public sealed partial class NamespaceLayeringTests
{
    [GeneratedRegex(@"^namespace\s+(Nono\.Proxy[\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using\s+(Nono\.Proxy\.[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    private static string SourceRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "src", "Proxy"));

    private static Dictionary<string, HashSet<string>> Imports()
    {
        var edges = new Dictionary<string, HashSet<string>>();
        foreach (var file in Directory.EnumerateFiles(SourceRoot(), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                continue;
            var text = File.ReadAllText(file);
            if (NamespaceLine().Match(text) is not { Success: true } ns)
                continue;
            var from = ns.Groups[1].Value;
            var set = edges.TryGetValue(from, out var s) ? s : edges[from] = [];
            foreach (Match u in UsingLine().Matches(text))
            {
                if (u.Groups[1].Value != from)
                    set.Add(u.Groups[1].Value);
            }
        }

        return edges;
    }

    [Fact]
    public void Proxy_namespaces_have_no_import_cycle()
    {
        var edges = Imports();
        Assert.True(edges.Count > 5, "source files not found under " + SourceRoot());
        var cycles = new List<string>();
        foreach (var start in edges.Keys)
        {
            var stack = new Stack<List<string>>([[start]]);
            var seen = new HashSet<string>();
            while (stack.Count > 0)
            {
                var path = stack.Pop();
                foreach (var next in edges.GetValueOrDefault(path[^1]) ?? [])
                {
                    if (next == start)
                        cycles.Add(string.Join(" -> ", path.Append(next)));
                    else if (seen.Add(next))
                        stack.Push([.. path, next]);
                }
            }
        }

        Assert.True(cycles.Count == 0, string.Join("\n", cycles));
    }

    [Theory]
    [InlineData("Nono.Proxy.Upstream")]
    [InlineData("Nono.Proxy.Routing")]
    [InlineData("Nono.Proxy.Http")]
    public void Transport_routing_and_http_do_not_import_the_request_layer_or_the_dispatcher(string layer)
    {
        var imports = Imports().GetValueOrDefault(layer) ?? [];
        Assert.DoesNotContain("Nono.Proxy.Pipeline", imports);
        Assert.DoesNotContain("Nono.Proxy.Server", imports);
    }
}
