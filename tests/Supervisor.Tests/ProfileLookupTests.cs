using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

public sealed class ProfileLookupTests
{
    [Fact]
    public void A_user_profile_shadows_the_built_in_of_the_same_name()
    {
        using var host = new TestHost();
        var path = host.WriteUserProfile("default", """{"description": "mine"}""");

        var loaded = host.Store.Load("default");

        Assert.Equal(ProfileOrigin.User, loaded.Source.Origin);
        Assert.Equal(path, loaded.Source.FilePath);
        Assert.Equal("mine", loaded.Spec.Description);
    }

    [Fact]
    public void Jsonc_user_profiles_are_found_by_name()
    {
        using var host = new TestHost();
        host.WriteUserProfile("mine", "// comment\n{\"description\": \"jsonc\",}", ".jsonc");

        Assert.Equal("jsonc", host.Store.Load("mine").Spec.Description);
    }

    [Fact]
    public void Both_json_and_jsonc_for_one_name_is_an_error()
    {
        using var host = new TestHost();
        host.WriteUserProfile("twice", "{}");
        host.WriteUserProfile("twice", "{}", ".jsonc");

        var error = Assert.Throws<ProfileException>(() => host.Store.Load("twice"));
        Assert.Contains("remove one so that 'twice' is unambiguous", error.Message);
    }

    [Fact]
    public void Without_a_user_file_the_built_in_is_used()
    {
        using var host = new TestHost();

        var loaded = host.Store.Load("claude-code");

        Assert.Equal(ProfileOrigin.BuiltIn, loaded.Source.Origin);
        Assert.Equal("default", Assert.Single(loaded.Spec.Extends).Value);
    }

    [Fact]
    public void The_user_directory_follows_XDG_CONFIG_HOME()
    {
        using var host = new TestHost();

        Assert.Equal(Path.Join(host.ConfigHome, "nono", "profiles"), host.Environment.UserProfileDirectory);
        var noXdg = host.Environment with { Variables = new Dictionary<string, string>() };
        Assert.Equal(Path.Join(host.Home, ".config", "nono", "profiles"), noXdg.UserProfileDirectory);
        var relativeXdg = host.Environment with { Variables = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = "relative" } };
        Assert.Equal(Path.Join(host.Home, ".config", "nono", "profiles"), relativeXdg.UserProfileDirectory);
    }

    [Theory]
    [InlineData("./profiles/team.json")]
    [InlineData("profiles/team.json")]
    public void A_reference_with_a_slash_is_a_path_relative_to_the_working_directory(string reference)
    {
        using var host = new TestHost();
        host.WriteFile(Path.Join(host.Work, "profiles", "team.json"), """{"description": "team"}""");
        host.WriteUserProfile("team", """{"description": "user"}""");

        var loaded = host.Store.Load(reference);

        Assert.Equal(ProfileOrigin.File, loaded.Source.Origin);
        Assert.Equal("team", loaded.Spec.Description);
    }

    [Fact]
    public void A_name_ending_in_json_is_a_path()
    {
        using var host = new TestHost();
        host.WriteFile(Path.Join(host.Work, "local.json"), """{"description": "here"}""");

        Assert.Equal("here", host.Store.Load("local.json").Spec.Description);
    }

    [Fact]
    public void A_missing_path_is_an_error_naming_the_full_path()
    {
        using var host = new TestHost();

        var error = Assert.Throws<ProfileException>(() => host.Store.Load("./nope.json"));
        Assert.Equal($"profile file '{Path.Join(host.Work, "nope.json")}' does not exist", error.Message);
    }

    [Fact]
    public void An_unknown_name_is_an_error_listing_what_exists()
    {
        using var host = new TestHost();
        host.WriteUserProfile("mine", "{}");

        var error = Assert.Throws<ProfileException>(() => host.Store.Load("claude"));
        Assert.Contains("no profile named 'claude'", error.Message);
        Assert.Contains("Available: bun-dev, claude-code, codex, default", error.Message);
        Assert.Contains("mine", error.Message);
    }

    [Fact]
    public void Extends_is_followed_with_parents_applied_first()
    {
        using var host = new TestHost();
        host.WriteUserProfile("base", """{"description": "base", "network": {"allow_domain": ["a.example.com"], "block": true}}""");
        host.WriteUserProfile("child", """{"extends": "base", "network": {"allow_domain": ["b.example.com"], "block": false}}""");

        var resolved = ProfileResolver.Resolve(host.Store, "child");

        Assert.Equal(["base-linux", "base", "child"], resolved.Layers.Select(l => l.Name));
        Assert.Equal(["a.example.com", "b.example.com"], resolved.Spec.Network.AllowDomain.Select(v => v.Value));
        Assert.False(resolved.Spec.Network.Block!.Value);
        Assert.Equal("base", resolved.Spec.Description);
    }

    [Fact]
    public void Extends_by_path_is_relative_to_the_extending_file()
    {
        using var host = new TestHost();
        var dir = Path.Join(host.Root, "team");
        host.WriteFile(Path.Join(dir, "shared", "common.jsonc"), """{"network": {"allow_domain": ["shared.example.com"]}}""");
        var top = host.WriteFile(Path.Join(dir, "top.json"), """{"extends": "./shared/common.jsonc"}""");

        var resolved = ProfileResolver.Resolve(host.Store, top);

        Assert.Equal("shared.example.com", Assert.Single(resolved.Spec.Network.AllowDomain).Value);
    }

    [Fact]
    public void A_user_profile_can_extend_the_built_in_it_shadows()
    {
        using var host = new TestHost();
        host.WriteUserProfile("claude-code", """{"extends": "claude-code", "network": {"allow_domain": ["extra.example.com"]}}""");

        var resolved = ProfileResolver.Resolve(host.Store, "claude-code");

        Assert.Contains("api.anthropic.com", resolved.Spec.Network.AllowDomain.Select(v => v.Value));
        Assert.Contains("extra.example.com", resolved.Spec.Network.AllowDomain.Select(v => v.Value));
        Assert.Equal([ProfileOrigin.BuiltIn, ProfileOrigin.BuiltIn, ProfileOrigin.BuiltIn, ProfileOrigin.User], resolved.Layers.Select(l => l.Origin));
    }

    [Fact]
    public void A_diamond_applies_the_shared_parent_once_so_overrides_survive()
    {
        using var host = new TestHost();
        host.WriteUserProfile("root", """{"network": {"block": true}}""");
        host.WriteUserProfile("left", """{"extends": "root", "network": {"block": false}}""");
        host.WriteUserProfile("right", """{"extends": "root"}""");
        host.WriteUserProfile("top", """{"extends": ["left", "right"]}""");

        var resolved = ProfileResolver.Resolve(host.Store, "top");

        Assert.Equal(["base-linux", "root", "left", "right", "top"], resolved.Layers.Select(l => l.Name));
        Assert.False(resolved.Spec.Network.Block!.Value);
    }

    [Fact]
    public void An_extends_cycle_is_an_error_naming_the_cycle_at_the_extends_that_closes_it()
    {
        using var host = new TestHost();
        var a = host.WriteUserProfile("a", """{"extends": "b"}""");
        var b = host.WriteUserProfile("b", "{\n  \"extends\": \"c\"\n}");
        var c = host.WriteUserProfile("c", "{\n  \"extends\": [\"default\", \"a\"]\n}");

        var error = Assert.Throws<ProfileException>(() => ProfileResolver.Resolve(host.Store, "a"));

        Assert.Equal($"{c}:2:26: extends cycle: a ({a}) -> b ({b}) -> c ({c}) -> a ({a}); remove one of these 'extends'", error.Message);
    }

    [Fact]
    public void A_profile_extending_itself_by_path_is_a_cycle()
    {
        using var host = new TestHost();
        var self = host.WriteFile(Path.Join(host.Root, "self.json"), """{"extends": "./self.json"}""");

        var error = Assert.Throws<ProfileException>(() => ProfileResolver.Resolve(host.Store, self));
        Assert.Contains("extends cycle: self", error.Message);
    }

    [Fact]
    public void A_missing_extends_target_is_an_error_at_the_extends()
    {
        using var host = new TestHost();
        var path = host.WriteUserProfile("broken", "{\n  \"extends\": [\"default\",\n     \"nonexistent\"]\n}");

        var error = Assert.Throws<ProfileException>(() => ProfileResolver.Resolve(host.Store, "broken"));
        Assert.StartsWith($"{path}:3:6: no profile named 'nonexistent'", error.Message);
    }

    [Fact]
    public void Extends_deeper_than_the_limit_is_an_error()
    {
        using var host = new TestHost();
        for (var i = 0; i < ProfileResolver.MaxDepth + 2; i++)
        {
            host.WriteUserProfile($"level{i}", $$"""{"extends": "level{{i + 1}}"}""");
        }

        host.WriteUserProfile($"level{ProfileResolver.MaxDepth + 2}", "{}");

        var error = Assert.Throws<ProfileException>(() => ProfileResolver.Resolve(host.Store, "level0"));
        Assert.Contains($"nested more than {ProfileResolver.MaxDepth} levels deep", error.Message);
    }

    [Fact]
    public void Errors_inside_an_extended_file_name_that_file()
    {
        using var host = new TestHost();
        var parent = host.WriteUserProfile("parent", "{\n \"network\": {\"blocks\": true}}");
        host.WriteUserProfile("child", """{"extends": "parent"}""");

        var error = Assert.Throws<ProfileException>(() => ProfileResolver.Resolve(host.Store, "child"));
        Assert.StartsWith($"{parent}:2:14: unknown key 'network.blocks' (did you mean 'block'?)", error.Message);
    }
}
