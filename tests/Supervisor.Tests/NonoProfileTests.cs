using System.Text.Json;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

/// <summary>Profiles written for nono 0.74 load and mean the same here.</summary>
public sealed class NonoProfileTests
{
    /// <summary>nono 0.74's own policy file; its built-in profiles are the test input.</summary>
    internal static readonly string PolicyFile = Path.Join(
        Environment.GetEnvironmentVariable("NONO_REFERENCE") ?? ReferenceBesideRepository(), "policy.json");

    /// <summary>nono 0.74's reference files travel in shared/reference beside the repository's checkout.</summary>
    private static string ReferenceBesideRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, "nono.slnx")))
            {
                return Path.GetFullPath(Path.Join(directory.FullName, "..", "shared", "reference", "nono-0.74"));
            }
        }

        return Path.Join("shared", "reference", "nono-0.74");
    }

    public static TheoryData<string> NonoProfileNames()
    {
        var data = new TheoryData<string>();
        if (File.Exists(PolicyFile))
        {
            using var policy = JsonDocument.Parse(File.ReadAllText(PolicyFile));
            foreach (var profile in policy.RootElement.GetProperty("profiles").EnumerateObject())
            {
                data.Add(profile.Name);
            }
        }

        return data;
    }

    /// <summary>Writes nono's profile NAME to its own file, as a user would save it.</summary>
    internal static string ExtractProfile(string name, string directory)
    {
        using var policy = JsonDocument.Parse(File.ReadAllText(PolicyFile));
        var path = Path.Join(directory, $"nono-{name}.json");
        File.WriteAllText(path, policy.RootElement.GetProperty("profiles").GetProperty(name).GetRawText());
        return path;
    }

    [Theory]
    [MemberData(nameof(NonoProfileNames))]
    public void Every_profile_of_nono_policy_json_resolves(string name)
    {
        using var host = new TestHost(outsideTmp: true);
        var file = ExtractProfile(name, host.Root);

        var settings = host.Resolve(new SessionFlags { Profile = file });

        Assert.NotEmpty(settings.Grants);
    }

    [Fact]
    public void The_reference_profiles_are_present()
    {
        Assert.True(File.Exists(PolicyFile), $"{PolicyFile} is missing; set NONO_REFERENCE to the directory holding nono 0.74's policy.json");
        Assert.Equal(9, NonoProfileNames().Count);
    }

    [Fact]
    public void Nono_default_hides_aws_and_bashrc_even_under_a_read_grant_of_the_home()
    {
        using var host = new TestHost(outsideTmp: true);
        host.MakeDirectory(".aws");
        host.WriteFile(Path.Join(host.Home, ".bashrc"), "export TOKEN=secret\n");
        var file = ExtractProfile("default", host.Root);

        var settings = host.Resolve(new SessionFlags { Profile = file, Read = [host.Home] });

        Assert.Contains(Path.Join(host.Home, ".aws"), settings.Denies);
        Assert.Contains(Path.Join(host.Home, ".bashrc"), settings.Denies);
    }

    [Fact]
    public void Nono_default_blocks_its_dangerous_commands_by_masking_them()
    {
        using var host = new TestHost(new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, outsideTmp: true);
        var file = ExtractProfile("default", host.Root);

        var settings = host.Resolve(new SessionFlags { Profile = file });

        var rm = Sandbox.PathCanonicalizer.Canonicalize("/usr/bin/rm");
        Assert.Contains(rm, settings.Denies);
        Assert.DoesNotContain(Sandbox.PathCanonicalizer.Canonicalize("/usr/bin/ls"), settings.Denies);
    }

    [Fact]
    public void Commands_allow_takes_a_program_out_of_the_group_deny_list()
    {
        using var host = new TestHost(new Dictionary<string, string> { ["PATH"] = "/usr/bin" });
        host.WriteUserProfile("p", """{"groups": {"include": ["dangerous_commands"]}, "commands": {"allow": ["rm"]}}""");

        var settings = host.Resolve(new SessionFlags { Profile = "p" });

        Assert.DoesNotContain(Sandbox.PathCanonicalizer.Canonicalize("/usr/bin/rm"), settings.Denies);
        Assert.Contains(Sandbox.PathCanonicalizer.Canonicalize("/usr/bin/cp"), settings.Denies);
    }

    [Fact]
    public void A_required_group_cannot_be_excluded()
    {
        using var host = new TestHost();
        var path = host.WriteUserProfile("p", """{"groups": {"include": ["deny_credentials"], "exclude": ["deny_credentials"]}}""");

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = "p" }));

        Assert.StartsWith($"{path}:1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("'deny_credentials' is required and cannot be excluded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_group_lists_the_known_ones()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """{"groups": {"include": ["python_runtim"]}}""");

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = "p" }));

        Assert.Contains("no filesystem group named 'python_runtim' (did you mean 'python_runtime'?)", error.Message, StringComparison.Ordinal);
        Assert.Contains("deny_credentials", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Excluded_groups_add_nothing_and_bypass_protection_lifts_one_group_deny()
    {
        using var host = new TestHost();
        host.MakeDirectory(".rustup");
        host.MakeDirectory(".config/fish");
        host.WriteUserProfile("p", """
            {"groups": {"include": ["rust_runtime", "deny_shell_configs", "go_runtime"], "exclude": ["go_runtime"]},
             "filesystem": {"read": ["~/.config"], "bypass_protection": ["~/.config/fish"]}}
            """);

        var settings = host.Resolve(new SessionFlags { Profile = "p" });

        Assert.Contains(settings.Grants, grant => grant.Path == Path.Join(host.Home, ".rustup"));
        Assert.DoesNotContain(Path.Join(host.Home, ".config/fish"), settings.Denies);
        Assert.DoesNotContain(settings.Profile.Spec.Filesystem, entry => entry.Group == "go_runtime");
    }

    [Fact]
    public void Workdir_access_grants_the_working_directory()
    {
        using var host = new TestHost();
        host.WriteUserProfile("ro", """{"workdir": {"access": "read"}}""");
        host.WriteUserProfile("none", """{"workdir": {"access": "none"}}""");

        var read = Assert.Single(host.Resolve(new SessionFlags { Profile = "ro" }).Grants, grant => grant.Path == host.Work);
        Assert.Equal(Sandbox.FsAccess.ReadExecute, read.Access);
        Assert.DoesNotContain(host.Resolve(new SessionFlags { Profile = "none" }).Grants, grant => grant.Path == host.Work);
    }

    [Fact]
    public void Extends_takes_a_list_and_null()
    {
        using var host = new TestHost();
        host.WriteUserProfile("a", """{"network": {"allow_domain": ["a.example.com"]}}""");
        host.WriteUserProfile("b", """{"network": {"allow_domain": ["b.example.com"]}}""");
        host.WriteUserProfile("both", """{"extends": ["a", "b"]}""");
        host.WriteUserProfile("neither", """{"extends": null, "meta": {"author": null}}""");

        Assert.Equal(["a.example.com", "b.example.com"], host.Resolve(new SessionFlags { Profile = "both" }).Proxy.AllowedHosts);
        Assert.Empty(host.Resolve(new SessionFlags { Profile = "neither" }).Proxy.AllowedHosts);
    }

    [Fact]
    public void Deny_domain_inside_an_allowed_wildcard_reaches_the_proxy_deny_list()
    {
        using var host = new TestHost();
        host.WriteUserProfile("carve", """{"network": {"allow_domain": ["*.example.com"], "deny_domain": ["ads.example.com", "*.tracking.example.com"]}}""");

        var config = host.Resolve(new SessionFlags { Profile = "carve" }).Proxy.ToProxyConfig();

        Assert.Equal(["*.example.com"], config.AllowedHosts);
        Assert.Equal(["ads.example.com", "*.tracking.example.com"], config.DeniedHosts);
    }

    [Fact]
    public void Deny_domain_that_covers_a_credential_upstream_is_an_error_at_the_deny()
    {
        using var host = new TestHost();
        var file = host.WriteUserProfile("p", """
            {"network": {"credentials": ["svc"],
                         "custom_credentials": {"svc": {"upstream": "https://api.svc.example", "credential_key": "env://SVC_KEY"}},
                         "deny_domain": ["*.svc.example"]}}
            """);

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = "p" }));

        Assert.StartsWith($"{file}:3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("the upstream of the credential route /svc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allow_domain_with_endpoints_allows_the_host_with_its_rules_and_turns_on_interception()
    {
        using var host = new TestHost();
        host.WriteUserProfile("base", """{"network": {"allow_domain": [{"domain": "api.github.com", "endpoints": [{"method": "get", "path": "/repos/**"}]}]}}""");
        host.WriteUserProfile("p", """
            {"extends": "base",
             "network": {"allow_domain": ["example.com", {"domain": "API.github.com", "endpoints": [{"method": "POST", "path": "/graphql"}]}, {"domain": "open.example.org", "endpoints": []}]}}
            """);

        var settings = host.Resolve(new SessionFlags { Profile = "p" }).Proxy;

        Assert.NotNull(settings.TlsIntercept);
        Assert.Equal(["example.com"], settings.AllowedHosts);
        var github = Assert.Single(settings.HostEndpoints, entry => entry.Host == "api.github.com");
        Assert.Equal([new Proxy.EndpointRule("GET", "/repos/**"), new Proxy.EndpointRule("POST", "/graphql")], github.Rules);
        Assert.Empty(Assert.Single(settings.HostEndpoints, entry => entry.Host == "open.example.org").Rules);
    }

    [Theory]
    [InlineData("""{"network": {"tls_intercept": false, "allow_domain": [{"domain": "api.github.com", "endpoints": [{"method": "GET", "path": "/"}]}]}}""", "endpoint rules need TLS interception")]
    [InlineData("""{"network": {"allow_domain": [{"domain": "api.github.com", "endpoint": []}]}}""", "did you mean 'endpoints'?")]
    [InlineData("""{"network": {"allow_domain": [{"domain": "api.github.com"}]}}""", "needs 'endpoints'")]
    [InlineData("""{"network": {"allow_domain": [{"endpoints": []}]}}""", "needs 'domain'")]
    [InlineData("""{"network": {"allow_domain": [{"domain": "https://api.github.com/", "endpoints": []}]}}""", "is a URL")]
    [InlineData("""{"network": {"allow_domain": [{"domain": "api.github.com", "endpoints": [{"method": "GET", "path": "repos"}]}]}}""", "must be a path starting with '/'")]
    [InlineData("""{"network": {"allow_domain": [{"domain": "api.svc.example", "endpoints": [{"method": "GET", "path": "/"}]}], "credentials": ["svc"], "custom_credentials": {"svc": {"upstream": "https://api.svc.example", "credential_key": "env://SVC_KEY"}}}}""", "give these endpoints in that credential's endpoint_rules")]
    public void Allow_domain_entries_with_endpoints_that_cannot_be_enforced_are_errors(string json, string expected)
    {
        using var host = new TestHost();
        var file = host.WriteUserProfile("p", json);

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = "p" }));

        Assert.StartsWith($"{file}:1:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ports_and_their_aliases_and_ranges_open_loopback_ports()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """{"network": {"open_port": [3000], "allow_port": [3001], "connect_port": [5432], "listen_port": [8080], "listen_port_range": [[9000, 9002]]}}""");

        var settings = host.Resolve(new SessionFlags { Profile = "p" });

        Assert.Equal([3000, 3001, 5432], settings.ConnectPorts.Select(port => (int)port).Order());
        Assert.Equal([3000, 3001, 8080, 9000, 9001, 9002], settings.BindPorts.Select(port => (int)port).Order());
    }

    [Fact]
    public void Platform_overrides_apply_to_this_platform_only()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """
            {"network": {"allow_domain": ["base.example.com"]},
             "platform_overrides": {"linux": {"network": {"allow_domain": ["linux.example.com"]}}, "macos": {"network": {"allow_domain": ["mac.example.com"]}}}}
            """);

        var hosts = host.Resolve(new SessionFlags { Profile = "p" }).Proxy.AllowedHosts;

        Assert.Contains("base.example.com", hosts);
        Assert.Contains(OperatingSystem.IsMacOS() ? "mac.example.com" : "linux.example.com", hosts);
        Assert.DoesNotContain(OperatingSystem.IsMacOS() ? "linux.example.com" : "mac.example.com", hosts);
    }

    [Theory]
    [InlineData("""{"security": {"signal_mode": "allow_all"}}""", "'security.signal_mode': 'allow_all' is not supported")]
    [InlineData("""{"env_credentials": {"openai": "OPENAI_API_KEY"}}""", "'env_credentials' is not supported: it puts real secrets")]
    [InlineData("""{"filesystem": {"unix_socket": ["/run/docker.sock"]}}""", "'filesystem.unix_socket' is not supported: connecting to a named unix socket cannot be limited to a path here")]
    [InlineData("""{"filesystem": {"unix_socket_dir_bind": ["/run/app"]}}""", "LANDLOCK_ACCESS_FS_RESOLVE_UNIX, arrives with ABI 8")]
    [InlineData("""{"linux": {"af_unix_mediation": "pathname"}}""", "Use --allow-unix-sockets (every unix socket the program can name)")]
    [InlineData("""{"groups": {"include": ["unlink_protection"]}}""", "group 'unlink_protection' is not supported")]
    [InlineData("""{"network": {"open_port": ["3000"]}}""", "'network.open_port[0]' must be a whole number from 1 to 65535, not a string")]
    [InlineData("""{"workdir": {"access": "all"}}""", "'workdir.access' must be one of none, read, write, readwrite, not 'all'")]
    public void Keys_that_would_restrict_or_expose_what_cannot_be_expressed_are_refused(string json, string expected)
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", json);

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = "p" }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Convenience_keys_are_accepted_with_one_warning_each()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", """{"rollback": {"exclude_patterns": ["target"]}, "hooks": {}, "interactive": false, "open_urls": null}""");

        var notices = host.Resolve(new SessionFlags { Profile = "p" }).Notices;

        Assert.Single(notices, notice => notice.Contains("'rollback' has no effect here", StringComparison.Ordinal));
        Assert.Single(notices, notice => notice.Contains("'hooks' has no effect here", StringComparison.Ordinal));
        Assert.Single(notices, notice => notice.Contains("'interactive' has no effect here", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_key_of_nono_schema_is_classified()
    {
        var schemaFile = Path.Join(Path.GetDirectoryName(PolicyFile)!, "nono-profile.schema.json");
        using var schema = JsonDocument.Parse(File.ReadAllText(schemaFile));
        var missing = schema.RootElement.GetProperty("properties").EnumerateObject()
            .Select(property => property.Name)
            .Where(name => ProfileKeys.Find(name) is null)
            .ToList();
        var definitions = schema.RootElement.GetProperty("$defs");
        foreach (var (section, definition) in new[] { ("filesystem", "FilesystemConfig"), ("network", "NetworkConfig"), ("security", "SecurityConfig"), ("groups", "GroupsConfig"), ("commands", "CommandsConfig"), ("network.custom_credentials.*", "CustomCredentialDef"), ("network.tls_intercept", "TlsInterceptConfig"), ("linux", "LinuxConfig"), ("workdir", "WorkdirConfig"), ("environment", "EnvironmentConfig") })
        {
            missing.AddRange(definitions.GetProperty(definition).GetProperty("properties").EnumerateObject()
                .Select(property => $"{section}.{property.Name}")
                .Where(path => ProfileKeys.Find(path) is null));
        }

        Assert.Empty(missing);
    }
}
