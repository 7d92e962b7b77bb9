using Nono.Supervisor.Env;

namespace Nono.Supervisor.Cli;

/// <summary>The command's environment under `nono wrap`, and the names left out of it.</summary>
internal sealed record WrapEnvironment(IReadOnlyList<string> Entries, IReadOnlyList<string> Withheld)
{
    /// <summary>
    /// The caller's environment minus what the built-in rules strip for every sandboxed program
    /// (variables that inject code, handles on the user's agents, names that conventionally hold
    /// secrets), except names kept with --allow-env. With --allow-net (<paramref name="hostNetwork"/>)
    /// the caller's proxy settings stay, since wrap has no proxy of its own, unless they carry a
    /// password; with the network blocked they are of no use and go. TMPDIR is replaced by
    /// <paramref name="temporaryDirectory"/> when one is given. A profile's <c>environment</c>
    /// section (<paramref name="profile"/>) applies as under `nono run`.
    /// </summary>
    public static WrapEnvironment Build(
        IEnumerable<KeyValuePair<string, string>> inherited,
        IReadOnlyList<string> keep,
        string? temporaryDirectory,
        bool hostNetwork,
        EnvironmentSettings? profile = null)
    {
        foreach (var name in keep)
        {
            if (!VariableRules.IsValidName(name))
            {
                throw new Sandbox.PolicyException($"--allow-env: '{name}' is not a variable name (letters, digits and '_', not starting with a digit)");
            }
        }

        var candidates = inherited
            .Where(pair => temporaryDirectory is null || pair.Key != "TMPDIR")
            .ToList();
        var kept = ChildEnvironmentBuilder.Build(new ChildEnvironmentRequest
        {
            Inherited = candidates,
            Settings = (profile ?? EnvironmentSettings.Empty) with { KeepVars = keep },
            KeepCallerProxyVariables = hostNetwork,
        });

        var keptNames = kept.Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal);
        var withheld = candidates.Select(pair => pair.Key)
            .Where(name => !keptNames.Contains(name))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var entries = kept.Select(pair => $"{pair.Key}={pair.Value}").ToList();
        if (temporaryDirectory is not null)
        {
            entries.Add($"TMPDIR={temporaryDirectory}");
        }

        return new WrapEnvironment(entries, withheld);
    }

    /// <summary>One line naming what was left out (names only, never values), or null when nothing was.</summary>
    public string? DescribeWithheld() => Withheld.Count == 0
        ? null
        : $"withheld from the environment: {string.Join(", ", Withheld)} (pass one with --allow-env NAME)";
}
