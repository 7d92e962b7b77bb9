using Nono.Sandbox;
using Nono.Supervisor.Cli;

namespace Nono.Supervisor.Tests;

public sealed class WrapEnvironmentTests
{
    private static KeyValuePair<string, string> Var(string name, string value = "v") => new(name, value);

    [Fact]
    public void Stripped_names_are_reported_and_ordinary_ones_kept()
    {
        var result = WrapEnvironment.Build(
            [Var("AWS_SECRET_ACCESS_KEY"), Var("LD_PRELOAD"), Var("DBUS_SESSION_BUS_ADDRESS"), Var("EDITOR", "vi")], [], temporaryDirectory: null, hostNetwork: false);

        Assert.Equal(["EDITOR=vi"], result.Entries);
        Assert.Equal(["AWS_SECRET_ACCESS_KEY", "DBUS_SESSION_BUS_ADDRESS", "LD_PRELOAD"], result.Withheld);
        Assert.Contains("AWS_SECRET_ACCESS_KEY, DBUS_SESSION_BUS_ADDRESS, LD_PRELOAD", result.DescribeWithheld(), StringComparison.Ordinal);
    }

    [Fact]
    public void Kept_names_pass_without_making_the_environment_an_allowlist()
    {
        var result = WrapEnvironment.Build([Var("NPM_TOKEN", "t"), Var("EDITOR", "vi"), Var("OTHER_TOKEN")], ["NPM_TOKEN"], temporaryDirectory: null, hostNetwork: false);

        Assert.Equal(["EDITOR=vi", "NPM_TOKEN=t"], result.Entries);
        Assert.Equal(["OTHER_TOKEN"], result.Withheld);
    }

    [Fact]
    public void With_the_network_allowed_the_callers_proxy_and_trust_settings_stay_because_wrap_has_no_proxy()
    {
        var result = WrapEnvironment.Build([Var("HTTPS_PROXY", "http://p:1"), Var("SSL_CERT_FILE", "/ca.pem")], [], temporaryDirectory: null, hostNetwork: true);

        Assert.Equal(["HTTPS_PROXY=http://p:1", "SSL_CERT_FILE=/ca.pem"], result.Entries);
        Assert.Null(result.DescribeWithheld());
    }

    [Fact]
    public void With_the_network_blocked_proxy_settings_go()
    {
        var result = WrapEnvironment.Build([Var("HTTPS_PROXY", "http://p:1"), Var("no_proxy", "localhost")], [], temporaryDirectory: null, hostNetwork: false);

        Assert.Empty(result.Entries);
        Assert.Equal(["HTTPS_PROXY", "no_proxy"], result.Withheld);
    }

    [Theory]
    [InlineData("http://alice:s3cretpw@corp.example:3128")]
    [InlineData("alice:s3cretpw@corp.example:3128")]
    [InlineData("socks5h://alice@corp.example:1080")]
    public void A_proxy_url_carrying_credentials_is_withheld_unless_named(string value)
    {
        var withheld = WrapEnvironment.Build([Var("HTTPS_PROXY", value)], [], temporaryDirectory: null, hostNetwork: true);
        var kept = WrapEnvironment.Build([Var("HTTPS_PROXY", value)], ["HTTPS_PROXY"], temporaryDirectory: null, hostNetwork: true);

        Assert.Empty(withheld.Entries);
        Assert.Equal(["HTTPS_PROXY"], withheld.Withheld);
        Assert.Equal([$"HTTPS_PROXY={value}"], kept.Entries);
    }

    [Fact]
    public void Temporary_directory_replaces_the_callers_tmpdir()
    {
        var result = WrapEnvironment.Build([Var("TMPDIR", "/tmp"), Var("EDITOR", "vi")], [], temporaryDirectory: "/tmp/nono-0", hostNetwork: false);

        Assert.Equal(["EDITOR=vi", "TMPDIR=/tmp/nono-0"], result.Entries);
        Assert.Empty(result.Withheld);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1ABC")]
    [InlineData("A B")]
    [InlineData("A=B")]
    public void A_kept_name_that_is_not_a_variable_name_is_refused(string name)
    {
        var error = Assert.Throws<PolicyException>(() => WrapEnvironment.Build([], [name], null, hostNetwork: false));
        Assert.Contains("--allow-env", error.Message, StringComparison.Ordinal);
    }
}
