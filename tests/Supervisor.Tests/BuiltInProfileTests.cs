using System.Text;
using Nono.Sandbox;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

public sealed class BuiltInProfileTests
{
    public static TheoryData<string> Names => [.. BuiltInProfiles.Names];

    [Fact]
    public void The_expected_built_in_profiles_are_embedded() =>
        Assert.Superset(
            new HashSet<string> { "default", "claude-code", "codex", "python-dev", "node-dev" },
            BuiltInProfiles.Names.ToHashSet());

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_built_in_profile_loads_resolves_and_yields_a_valid_policy(string name)
    {
        using var host = new TestHost();

        var settings = host.Resolve(new SessionFlags { Profile = name });
        var policy = settings.CreateSandboxPolicy(40000);

        Assert.Equal(NetworkMode.Proxy, policy.Network.Mode);
        Assert.Contains(policy.Grants, g => g.Path == "/usr" && g.Access == FsAccess.ReadExecute);
        Assert.Contains(policy.Grants, g => g.Path == host.Work && g.Access == FsAccess.All);
        Assert.Contains(policy.Grants, g => g.Path == "/dev/null" && g.Target == FsTarget.File);
        Assert.False(string.IsNullOrEmpty(settings.Profile.Spec.Description));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_built_in_profile_round_trips_through_show(string name)
    {
        using var host = new TestHost();
        var resolved = ProfileResolver.Resolve(host.Store, name);

        var shown = ProfileJsonWriter.Write(resolved.Spec);
        var reparsed = ProfileParser.Parse(Encoding.UTF8.GetBytes(shown), "shown.json");

        Assert.Equal(ProfileJsonWriter.Write(reparsed), shown);
    }

    [Fact]
    public void Default_allows_no_host_and_tells_the_proxy_its_empty_allowlist_means_no_host()
    {
        using var host = new TestHost();

        var settings = host.Resolve();

        Assert.Empty(settings.Proxy.AllowedHosts);
        var config = settings.CreateProxyConfig();
        Assert.Empty(config.AllowedHosts);
        Assert.True(config.DenyUnlistedHosts);
        Assert.Null(settings.Proxy.TlsIntercept);
        Assert.Contains(settings.Grants, g => g.Path == host.Tmp && g.Access == FsAccess.All);
    }

    [Fact]
    public void Claude_code_grants_its_config_when_present_and_allows_the_anthropic_api()
    {
        using var host = new TestHost();
        var claudeDir = host.MakeDirectory(".claude");
        var claudeJson = host.WriteFile(Path.Join(host.Home, ".claude.json"), "{}");

        var settings = host.Resolve(new SessionFlags { Profile = "claude-code" });

        Assert.Contains(FsGrant.Directory(claudeDir, FsAccess.All), settings.Grants);
        Assert.Contains(FsGrant.File(claudeJson, FsAccess.All), settings.Grants);
        Assert.Contains("api.anthropic.com", settings.Proxy.AllowedHosts);
        Assert.Equal("1", settings.Environment.SetVars.Single(v => v.Key == "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC").Value);
    }

    [Fact]
    public void Claude_code_reports_its_missing_config_instead_of_granting_it()
    {
        using var host = new TestHost();

        var settings = host.Resolve(new SessionFlags { Profile = "claude-code" });

        var skipped = settings.SkippedPaths.Single(s => s.Raw == "$HOME/.claude");
        Assert.Equal(Path.Join(host.Home, ".claude"), skipped.Path);
        Assert.StartsWith("built-in:claude-code.jsonc:", skipped.ToString());
        Assert.DoesNotContain(settings.Grants, g => g.Path.EndsWith(".claude", StringComparison.Ordinal));
    }

    [Fact]
    public void Codex_allows_the_openai_hosts_and_its_home()
    {
        using var host = new TestHost();
        var codexDir = host.MakeDirectory(".codex");

        var settings = host.Resolve(new SessionFlags { Profile = "codex" });

        Assert.Contains(FsGrant.Directory(codexDir, FsAccess.All), settings.Grants);
        Assert.Superset(new HashSet<string> { "api.openai.com", "auth.openai.com", "chatgpt.com" }, settings.Proxy.AllowedHosts.ToHashSet());
    }

    [Fact]
    public void Python_dev_uses_the_pypi_group_and_xdg_cache()
    {
        using var host = new TestHost();
        var pipCache = Directory.CreateDirectory(Path.Join(host.Home, ".cache", "pip")).FullName;

        var settings = host.Resolve(new SessionFlags { Profile = "python-dev" });

        Assert.Equal(["files.pythonhosted.org", "pypi.org"], settings.Proxy.AllowedHosts);
        Assert.Contains(FsGrant.Directory(pipCache, FsAccess.All), settings.Grants);
    }

    [Fact]
    public void Node_dev_uses_the_npm_group()
    {
        using var host = new TestHost();

        var settings = host.Resolve(new SessionFlags { Profile = "node-dev" });

        Assert.Superset(new HashSet<string> { "registry.npmjs.org", "registry.yarnpkg.com", "nodejs.org" }, settings.Proxy.AllowedHosts.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_home_path_a_built_in_profile_lists_is_granted_when_present_and_none_is_sensitive(string name)
    {
        using var host = new TestHost();
        var spec = ProfileResolver.Resolve(host.Store, name).Spec;
        var homePaths = spec.Filesystem
            .Where(e => e.Rule != PathRule.Deny)
            .Select(e => (Entry: e, Path: PathVariables.Expand(e.Raw, e.Where, "test", host.Environment)))
            .Where(p => p.Path.StartsWith(host.Home + "/", StringComparison.Ordinal))
            .ToList();
        foreach (var (entry, path) in homePaths)
        {
            if (PathRules.IsFileRule(entry.Rule))
            {
                host.WriteFile(path, string.Empty);
            }
            else
            {
                Directory.CreateDirectory(path);
            }
        }

        var settings = host.Resolve(new SessionFlags { Profile = name });

        // Granted at that path, or inside a directory granted with at least the same access (the toolchain roots).
        Assert.All(homePaths, p => Assert.Contains(settings.Grants, g => g.Path == p.Path
            || (g.Target == FsTarget.Directory && PathUtil.IsSameOrBelow(p.Path, g.Path) && (g.Access & PathRules.AccessOf(p.Entry.Rule)) == PathRules.AccessOf(p.Entry.Rule))));
        Assert.DoesNotContain(settings.Grants, g => SensitivePaths.Covers(host.Home, g.Path));
        Assert.DoesNotContain(settings.SkippedPaths, s => s.Path.StartsWith(host.Home + "/", StringComparison.Ordinal));
    }
}
