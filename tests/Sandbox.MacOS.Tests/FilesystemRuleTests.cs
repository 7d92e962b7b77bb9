namespace Nono.Sandbox.MacOS.Tests;

public sealed class FilesystemRuleTests
{
    private const string Project = "/Users/alice/project";

    [Fact]
    public void Profile_denies_by_default_before_any_rule()
    {
        var forms = SExpressionReader.ReadAll(Profiles.Generate(new SandboxPolicy()));

        Assert.Equal("(version 1)", forms[0].ToString());
        Assert.Equal("(deny default)", forms[1].ToString());
    }

    [Fact]
    public void Directory_grant_uses_subpath_and_file_grant_uses_literal()
    {
        var rules = Profiles.Rules(Profiles.Generate(new SandboxPolicy
        {
            Grants = [FsGrant.Directory(Project, FsAccess.Read), FsGrant.File("/Users/alice/.gitconfig", FsAccess.Read)],
        }));

        Assert.Single(rules.Allowing("file-read*", "subpath", Project));
        Assert.Single(rules.Allowing("file-read*", "literal", "/Users/alice/.gitconfig"));
        Assert.Empty(rules.Allowing("file-read*", "subpath", "/Users/alice/.gitconfig"));
    }

    [Fact]
    public void Each_access_right_maps_to_its_own_operations()
    {
        var rules = Profiles.Rules(Profiles.Generate(new SandboxPolicy
        {
            Grants =
            [
                FsGrant.Directory("/r", FsAccess.Read),
                FsGrant.Directory("/w", FsAccess.Write),
                FsGrant.Directory("/x", FsAccess.Execute),
            ],
        }));

        Assert.Single(rules.Allowing("file-read*", "subpath", "/r"));
        Assert.Empty(rules.Allowing("file-write*", "subpath", "/r"));
        Assert.Empty(rules.Allowing("process-exec*", "subpath", "/r"));

        Assert.Single(rules.Allowing("file-write*", "subpath", "/w"));
        Assert.Empty(rules.Allowing("file-read*", "subpath", "/w"));
        Assert.Empty(rules.Allowing("process-exec*", "subpath", "/w"));

        var exec = Assert.Single(rules.Allowing("process-exec*", "subpath", "/x"));
        Assert.True(exec.Has("file-map-executable"));
        Assert.Empty(rules.Allowing("file-read*", "subpath", "/x"));
        Assert.Empty(rules.Allowing("file-write*", "subpath", "/x"));
    }

    [Fact]
    public void Grant_names_both_the_given_and_the_symlink_resolved_path()
    {
        var links = new Dictionary<string, string> { ["/Users/alice/link"] = "/Volumes/Data/real" };
        var rules = Profiles.Rules(Profiles.Generate(
            new SandboxPolicy { Grants = [FsGrant.Directory("/Users/alice/link/src", FsAccess.ReadWrite)] },
            links));

        var read = Assert.Single(rules.Allowing("file-read*", "subpath", "/Users/alice/link/src"));
        Assert.True(read.HasFilter("subpath", "/Volumes/Data/real/src"));
        var write = Assert.Single(rules.Allowing("file-write*", "subpath", "/Users/alice/link/src"));
        Assert.True(write.HasFilter("subpath", "/Volumes/Data/real/src"));
    }

    [Theory]
    [InlineData("/tmp/work", "/private/tmp/work")]
    [InlineData("/var/folders/ab/T", "/private/var/folders/ab/T")]
    [InlineData("/etc/ssl/cert.pem", "/private/etc/ssl/cert.pem")]
    [InlineData("/tmp", "/private/tmp")]
    public void Grants_under_the_macOS_root_links_also_name_the_private_path(string given, string kernelPath)
    {
        var rules = Profiles.Rules(Profiles.Generate(new SandboxPolicy { Grants = [FsGrant.Directory(given, FsAccess.Read)] }));

        var rule = Assert.Single(rules.Allowing("file-read*", "subpath", given));
        Assert.True(rule.HasFilter("subpath", kernelPath));
    }

    [Fact]
    public void Attributes_may_be_read_anywhere_but_contents_only_inside_grants()
    {
        var rules = Profiles.Rules(Profiles.Generate(new SandboxPolicy { Grants = [FsGrant.Directory(Project, FsAccess.Read)] }));

        Assert.Contains(rules, rule => rule.Action == "allow" && rule.Operations.SequenceEqual(["file-read-metadata", "file-test-existence"]) && rule.Filters.Count == 0);
        Assert.DoesNotContain(rules, rule => rule.Action == "allow" && rule.Has("file-read*") && rule.Filters.Count == 0);
        Assert.Empty(rules.Allowing("file-read*", "literal", "/Users/alice"));
        Assert.Empty(rules.Allowing("file-read*", "subpath", "/Users/alice"));
    }

    [Fact]
    public void Denied_paths_refuse_even_attributes()
    {
        var rules = Profiles.Rules(Profiles.Generate(new SandboxPolicy()));

        var deny = Assert.Single(rules.Denying("file-read*", "subpath", "/Users/alice/.ssh"));
        Assert.True(deny.Has("file-test-existence"));
        Assert.True(deny.Index > rules.Single(rule => rule.Action == "allow" && rule.Has("file-read-metadata") && rule.Filters.Count == 0).Index);
    }

    [Fact]
    public void Sensitive_paths_are_denied_after_every_grant()
    {
        var rules = Profiles.Rules(Profiles.Generate(new SandboxPolicy { Grants = [FsGrant.Directory(Profiles.Home, FsAccess.All)] }));

        var lastGrant = rules.Where(rule => rule.Action == "allow" && rule.HasFilter("subpath", Profiles.Home)).Max(rule => rule.Index);
        foreach (var sensitive in SensitivePaths.For(Profiles.Home))
        {
            var deny = Assert.Single(rules.Denying("file-read*", "subpath", sensitive));
            Assert.True(deny.Has("file-write*"), sensitive);
            Assert.True(deny.Index > lastGrant, $"{sensitive} is denied before the grant that covers it");
        }
    }

    [Fact]
    public void Policy_denies_are_written_after_grants_in_every_spelling()
    {
        var links = new Dictionary<string, string> { ["/Users/alice/project/secrets"] = "/Volumes/Vault/secrets" };
        var rules = Profiles.Rules(Profiles.Generate(
            new SandboxPolicy { Grants = [FsGrant.Directory(Project, FsAccess.ReadWrite)], Denies = ["/Users/alice/project/secrets"] },
            links));

        var deny = Assert.Single(rules.Denying("file-read*", "subpath", "/Users/alice/project/secrets"));
        Assert.True(deny.HasFilter("subpath", "/Volumes/Vault/secrets"));
        Assert.True(deny.Filters.Count(filter => filter is SExpression.List { Head: "regex" }) == 2, "both spellings need a case-insensitive pattern");
        Assert.True(deny.Index > rules.Allowing("file-write*", "subpath", Project).Single().Index);
    }

    [Fact]
    public void Directories_above_a_denied_path_inside_a_writable_grant_cannot_be_renamed()
    {
        var rules = Profiles.Rules(Profiles.Generate(new SandboxPolicy { Grants = [FsGrant.Directory(Profiles.Home, FsAccess.ReadWrite)] }));

        var pin = Assert.Single(rules.Denying("file-write-unlink", "literal", "/Users/alice/.config"));
        Assert.True(pin.Has("file-write-create"));
        Assert.True(pin.HasFilter("literal", Profiles.Home));
        Assert.False(pin.HasFilter("literal", "/Users"), "/Users lies outside every writable grant");
    }

    [Fact]
    public void Read_only_grants_pin_nothing()
    {
        var rules = Profiles.Rules(Profiles.Generate(new SandboxPolicy { Grants = [FsGrant.Directory(Profiles.Home, FsAccess.Read)] }));

        Assert.DoesNotContain(rules, rule => rule.Has("file-write-unlink"));
    }

    [Theory]
    [InlineData("/Users/alice/.ssh")]
    [InlineData("/Users/alice/.ssh/config")]
    [InlineData("/Users/alice/.SSH")]
    [InlineData("/Users/alice/.config/gcloud/credentials.db")]
    [InlineData("/Users/alice/Library/Keychains/../../.aws")]
    public void Grant_inside_a_sensitive_path_is_refused(string path)
    {
        var error = Assert.Throws<PolicyException>(() =>
            Profiles.Generate(new SandboxPolicy { Grants = [FsGrant.Directory(path, FsAccess.Read)] }));

        Assert.Contains("denied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grant_that_resolves_into_a_sensitive_path_is_refused()
    {
        var links = new Dictionary<string, string> { ["/Users/alice/project/keys"] = "/Users/alice/.ssh" };

        var error = Assert.Throws<PolicyException>(() => Profiles.Generate(
            new SandboxPolicy { Grants = [FsGrant.Directory("/Users/alice/project/keys", FsAccess.Read)] },
            links));
        Assert.Contains("/Users/alice/.ssh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grant_inside_a_policy_deny_is_refused()
    {
        Assert.Throws<PolicyException>(() => Profiles.Generate(new SandboxPolicy
        {
            Grants = [FsGrant.File("/Users/alice/project/secrets/ok.txt", FsAccess.Read)],
            Denies = ["/Users/alice/project/secrets"],
        }));
    }

    [Fact]
    public void Invalid_policy_is_refused_before_any_text_is_written()
    {
        Assert.Throws<PolicyException>(() => Profiles.Generate(new SandboxPolicy { Grants = [FsGrant.Directory("relative/path", FsAccess.Read)] }));
        Assert.Throws<PolicyException>(() => Profiles.Generate(new SandboxPolicy { Grants = [FsGrant.Directory("/x", FsAccess.None)] }));
    }

    [Fact]
    public void Home_that_is_not_absolute_is_refused()
    {
        Assert.Throws<PolicyException>(() => SeatbeltSandbox.GenerateProfile(new SandboxPolicy(), new SeatbeltContext("alice")));
    }

    [Fact]
    public void Without_grants_no_file_operation_is_allowed_outside_the_system_baseline()
    {
        var rules = Profiles.Rules(Profiles.Generate(new SandboxPolicy()));

        Assert.DoesNotContain(rules, rule => rule.Action == "allow" && rule.Has("file-write*"));
        Assert.DoesNotContain(
            rules.Where(rule => rule.Action == "allow").SelectMany(rule => rule.Filters).SelectMany(filter => filter.Descendants()),
            node => node is SExpression.Str { Value: var value } && value.StartsWith("/Users", StringComparison.Ordinal));
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var policy = new SandboxPolicy
        {
            Grants = [FsGrant.Directory(Project, FsAccess.All), FsGrant.Directory("/tmp", FsAccess.ReadWrite)],
            Network = NetworkPolicy.ViaProxy(8080),
        };

        Assert.Equal(Profiles.Generate(policy), Profiles.Generate(policy));
    }
}
