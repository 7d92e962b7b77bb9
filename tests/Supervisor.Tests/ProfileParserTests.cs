using System.Text;
using Nono.Proxy;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

public sealed class ProfileParserTests
{
    private static ProfileSpec Parse(string json) => ProfileParser.Parse(Encoding.UTF8.GetBytes(json), "p.jsonc");

    [Fact]
    public void Jsonc_comments_and_trailing_commas_are_accepted()
    {
        var spec = Parse("""
            // a line comment
            {
              /* a block comment */
              "extends": "default", // after a value
              "filesystem": {
                "read": ["$HOME/docs", "~/notes",],
              },
            }
            """);

        Assert.Equal("default", Assert.Single(spec.Extends).Value);
        Assert.Equal(["$HOME/docs", "~/notes"], spec.Filesystem.Select(e => e.Raw));
        Assert.All(spec.Filesystem, e => Assert.Equal(PathRule.Read, e.Rule));
    }

    [Fact]
    public void A_byte_order_mark_is_skipped() =>
        Assert.Equal("x", ProfileParser.Parse([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes("""{"description":"x"}""")], "p.json").Description);

    [Fact]
    public void Every_schema_key_is_read()
    {
        var spec = Parse("""
            {
              "extends": ["default", "./other.json"],
              "description": "everything",
              "meta": { "name": "n", "version": "1", "description": "d", "author": "a" },
              "filesystem": {
                "allow": ["$WORKDIR"], "read": ["/usr"], "write": ["$TMPDIR/out"],
                "allow_file": ["~/.tool.json"], "read_file": ["/etc/hosts"], "write_file": ["$HOME/log.txt"],
                "deny": ["$WORKDIR/.env"]
              },
              "network": {
                "block": false,
                "allow_domain": ["Example.COM", "*.example.org", "github"],
                "network_profile": "llm_apis",
                "credentials": ["openai"],
                "custom_credentials": {
                  "my-api": {
                    "upstream": "https://api.example.com/v2/",
                    "credential_key": "env://MY_API_SECRET",
                    "inject_mode": "header",
                    "inject_header": "X-Api-Key",
                    "credential_format": "{}",
                    "env_var": "MY_API_KEY",
                    "endpoint_rules": [{ "method": "get", "path": "/v2/items/**" }]
                  }
                },
                "upstream_proxy": "http://Proxy.Corp.example:3128/",
                "upstream_bypass": ["intranet.corp.example"],
                "tls_intercept": { "intercept_all": true, "ca_validity_days": 7, "name_constraints": false }
              },
              "environment": {
                "allow_vars": ["PATH", "LC_*"],
                "deny_vars": ["AWS_*"],
                "set_vars": { "RUST_LOG": "debug" }
              }
            }
            """);

        Assert.Equal(["default", "./other.json"], spec.Extends.Select(e => e.Value));
        Assert.Equal(new ProfileMeta("n", "1", "d", "a"), spec.Meta);
        Assert.Equal(Enum.GetValues<PathRule>(), spec.Filesystem.Select(e => e.Rule));
        Assert.False(spec.Network.Block!.Value);
        Assert.Equal(["Example.COM", "*.example.org", "github"], spec.Network.AllowDomain.Select(v => v.Value));
        Assert.Equal("llm_apis", Assert.Single(spec.Network.NetworkProfile).Value);
        Assert.Equal("openai", Assert.Single(spec.Network.Credentials).Value);
        var custom = Assert.Single(spec.Network.CustomCredentials);
        Assert.Equal("my-api", custom.Name);
        Assert.Equal("https://api.example.com/v2", custom.Upstream);
        Assert.Equal("X-Api-Key", custom.InjectHeader);
        Assert.Equal(new EndpointRule("GET", "/v2/items/**"), Assert.Single(custom.EndpointRules));
        Assert.Equal("proxy.corp.example:3128", spec.Network.UpstreamProxy!.Value);
        Assert.Equal("intranet.corp.example", Assert.Single(spec.Network.UpstreamBypass).Value);
        Assert.True(spec.Network.TlsIntercept.Enabled!.Value);
        Assert.True(spec.Network.TlsIntercept.InterceptAll!.Value);
        Assert.Equal(7, spec.Network.TlsIntercept.CaValidityDays!.Value);
        Assert.False(spec.Network.TlsIntercept.NameConstraints!.Value);
        Assert.Equal(["PATH", "LC_*"], spec.Environment.AllowVars.Select(v => v.Value));
        Assert.Equal("AWS_*", Assert.Single(spec.Environment.DenyVars).Value);
        Assert.Equal(("RUST_LOG", "debug"), Assert.Single(spec.Environment.SetVars) is var s ? (s.Name, s.Value) : default);
    }

    [Fact]
    public void Values_remember_their_line_and_column()
    {
        var spec = Parse("{\n  \"filesystem\": {\n    \"read\": [\n      \"/usr\",\n         \"/opt\"\n    ]\n  }\n}");

        Assert.Equal(new SourceLocation("p.jsonc", 4, 7), spec.Filesystem[0].Where);
        Assert.Equal(new SourceLocation("p.jsonc", 5, 10), spec.Filesystem[1].Where);
    }

    [Fact]
    public void Columns_count_characters_not_bytes()
    {
        var spec = Parse("{\"description\": \"ééé\", \"extends\": \"x\"}");

        Assert.Equal(new SourceLocation("p.jsonc", 1, 35), spec.Extends[0].Where);
    }

    [Fact]
    public void Tls_intercept_accepts_a_bare_boolean()
    {
        Assert.False(Parse("""{"network": {"tls_intercept": false}}""").Network.TlsIntercept.Enabled!.Value);
        Assert.True(Parse("""{"network": {"tls_intercept": true}}""").Network.TlsIntercept.Enabled!.Value);
        Assert.False(Parse("""{"network": {"tls_intercept": {"enabled": false}}}""").Network.TlsIntercept.Enabled!.Value);
    }

    [Theory]
    [InlineData("url_path", """ "path_pattern": "/key/{}/", "path_replacement": "/key/{}/" """, InjectMode.UrlPath)]
    [InlineData("query_param", """ "query_param_name": "api_key" """, InjectMode.QueryParam)]
    [InlineData("basic_auth", "", InjectMode.BasicAuth)]
    public void Each_inject_mode_parses_with_its_fields(string mode, string fields, InjectMode expected)
    {
        var extra = fields.Length > 0 ? "," + fields : string.Empty;
        var spec = Parse(
            """{"network": {"custom_credentials": {"svc": {"upstream": "https://svc.example.com", "credential_key": "keyring://nono/svc", """
            + $"\"inject_mode\": \"{mode}\" {extra}" + "}}}}");

        Assert.Equal(expected, Assert.Single(spec.Network.CustomCredentials).InjectMode);
    }
}
