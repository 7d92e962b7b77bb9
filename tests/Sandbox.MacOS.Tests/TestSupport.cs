namespace Nono.Sandbox.MacOS.Tests;

/// <summary>A made-up file system's symbolic links: link path -> target (absolute).</summary>
internal sealed class MapResolver(IReadOnlyDictionary<string, string> links) : IPathResolver
{
    public static MapResolver None { get; } = new(new Dictionary<string, string>());

    public string Resolve(string path)
    {
        for (var hops = 0; hops < 32; hops++)
        {
            var link = links.Keys
                .Where(candidate => PathUtil.IsSameOrBelow(path, candidate))
                .OrderByDescending(candidate => candidate.Length)
                .FirstOrDefault();
            if (link is null)
            {
                return path;
            }

            path = links[link] + path[link.Length..];
        }

        throw new InvalidOperationException("link loop in test resolver");
    }
}

/// <summary>One allow or deny rule of a parsed profile.</summary>
internal sealed record Rule(int Index, string Action, IReadOnlyList<string> Operations, IReadOnlyList<SExpression> Filters)
{
    public bool Has(string operation) => Operations.Contains(operation);

    /// <summary>True when a filter is exactly (<paramref name="kind"/> "<paramref name="value"/>").</summary>
    public bool HasFilter(string kind, string value) => Filters.Any(filter => IsFilter(filter, kind, value));

    public static bool IsFilter(SExpression filter, string kind, string value) =>
        filter is SExpression.List { Items: [SExpression.Atom head, SExpression.Str str] } && head.Text == kind && str.Value == value;
}

internal static class Profiles
{
    public const string Home = "/Users/alice";

    public static SeatbeltContext Context(IReadOnlyDictionary<string, string>? links = null) =>
        new(Home) { Resolver = links is null ? MapResolver.None : new MapResolver(links) };

    public static string Generate(SandboxPolicy policy, IReadOnlyDictionary<string, string>? links = null) =>
        SeatbeltSandbox.GenerateProfile(policy, Context(links));

    public static IReadOnlyList<Rule> Rules(string profile)
    {
        var rules = new List<Rule>();
        var forms = SExpressionReader.ReadAll(profile);
        for (var i = 0; i < forms.Count; i++)
        {
            if (forms[i] is not SExpression.List { Head: "allow" or "deny" } list)
            {
                continue;
            }

            var operations = list.Items.Skip(1).TakeWhile(item => item is SExpression.Atom).Cast<SExpression.Atom>().Select(atom => atom.Text).ToList();
            var filters = list.Items.Skip(1 + operations.Count).ToList();
            rules.Add(new Rule(i, list.Head!, operations, filters));
        }

        return rules;
    }

    /// <summary>Rules that allow <paramref name="operation"/> and name <paramref name="kind"/> "<paramref name="path"/>".</summary>
    public static IEnumerable<Rule> Allowing(this IEnumerable<Rule> rules, string operation, string kind, string path) =>
        rules.Where(rule => rule.Action == "allow" && rule.Has(operation) && rule.HasFilter(kind, path));

    public static IEnumerable<Rule> Denying(this IEnumerable<Rule> rules, string operation, string kind, string path) =>
        rules.Where(rule => rule.Action == "deny" && rule.Has(operation) && rule.HasFilter(kind, path));
}
