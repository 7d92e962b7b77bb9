namespace Nono.Sandbox.MacOS.Tests;

public sealed class ServiceRuleTests
{
    private const string KeychainDirectory = "/Users/alice/Library/Keychains";

    private static bool DeniesService(IReadOnlyList<Rule> rules, string filter) =>
        rules.Any(rule => rule.Action == "deny" && rule.Has("mach-lookup") && rule.Filters.Any(f => f.ToString() == filter));

    [Fact]
    public void Keychain_services_and_files_are_refused_unless_granted()
    {
        var rules = Profiles.Rules(Profiles.Generate(new SandboxPolicy { Grants = [FsGrant.Directory(Profiles.Home, FsAccess.Read)] }));

        Assert.True(DeniesService(rules, "(global-name \"com.apple.SecurityServer\")"));
        Assert.True(DeniesService(rules, "(global-name-prefix \"com.apple.securityd\")"));
        Assert.Single(rules.Denying("file-read*", "subpath", KeychainDirectory));

        var allowAll = Assert.Single(rules, rule => rule.Action == "allow" && rule.Operations.SequenceEqual(["mach-lookup"]));
        Assert.Empty(allowAll.Filters);
        Assert.True(rules.Where(rule => rule.Action == "deny" && rule.Has("mach-lookup")).All(rule => rule.Index > allowAll.Index));
    }

    [Fact]
    public void Granting_the_keychain_directory_grants_the_keychain_services()
    {
        var rules = Profiles.Rules(Profiles.Generate(new SandboxPolicy { Grants = [FsGrant.Directory(KeychainDirectory, FsAccess.ReadWrite)] }));

        Assert.False(DeniesService(rules, "(global-name \"com.apple.SecurityServer\")"));
        Assert.Empty(rules.Denying("file-read*", "subpath", KeychainDirectory));
        Assert.Single(rules.Allowing("file-read*", "subpath", KeychainDirectory));
    }

    [Fact]
    public void Launching_outside_the_sandbox_and_the_pasteboard_are_refused_even_with_the_keychain_granted()
    {
        var rules = Profiles.Rules(Profiles.Generate(new SandboxPolicy { Grants = [FsGrant.Directory(KeychainDirectory, FsAccess.Read)] }));

        Assert.True(DeniesService(rules, "(global-name \"com.apple.coreservices.launchservicesd\")"));
        Assert.True(DeniesService(rules, "(global-name-prefix \"com.apple.pasteboard.\")"));
    }

    [Fact]
    public void Terminal_injection_and_reading_other_processes_environment_are_refused_last()
    {
        var forms = SExpressionReader.ReadAll(Profiles.Generate(new SandboxPolicy { Network = NetworkPolicy.Host }));

        Assert.Equal("(deny file-ioctl (ioctl-command 2147578994))", forms[^2].ToString());
        Assert.Equal("(deny sysctl-read (sysctl-name-prefix \"kern.procargs\"))", forms[^1].ToString());
    }

    [Fact]
    public void Terminal_injection_ioctl_number_is_TIOCSTI()
    {
        // TIOCSTI is _IOW('t', 114, char) in <sys/ttycom.h>: 0x80017472.
        Assert.Equal(0x80017472u, Profile.SystemRules.Tiocsti);
    }

    [Theory]
    [InlineData(NetworkMode.Blocked, true)]
    [InlineData(NetworkMode.Proxy, true)]
    [InlineData(NetworkMode.Host, false)]
    public void System_resolver_is_unreachable_unless_the_network_is_open(NetworkMode mode, bool refused)
    {
        var network = mode switch
        {
            NetworkMode.Proxy => NetworkPolicy.ViaProxy(8080),
            NetworkMode.Host => NetworkPolicy.Host,
            _ => NetworkPolicy.Blocked,
        };
        var rules = Profiles.Rules(Profiles.Generate(new SandboxPolicy { Network = network }));

        Assert.Equal(refused, DeniesService(rules, "(global-name-prefix \"com.apple.dnssd\")"));
        Assert.Equal(refused, DeniesService(rules, "(global-name-prefix \"com.apple.nsurlsessiond\")"));
    }

    [Fact]
    public void Signals_and_process_information_stay_inside_the_sandbox()
    {
        var forms = SExpressionReader.ReadAll(Profiles.Generate(new SandboxPolicy())).Select(form => form.ToString()).ToList();

        Assert.Contains("(allow signal (target same-sandbox))", forms);
        Assert.Contains("(allow process-info* (target same-sandbox))", forms);
        Assert.DoesNotContain("(allow signal)", forms);
    }
}
