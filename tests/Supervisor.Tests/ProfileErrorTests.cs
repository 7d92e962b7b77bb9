using System.Text;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

/// <summary>Every profile error names the file, line and column, and the offending key.</summary>
public sealed class ProfileErrorTests
{
    private static string ErrorOf(string json)
    {
        var error = Assert.Throws<ProfileException>(() => ProfileParser.Parse(Encoding.UTF8.GetBytes(json), "profile.json"));
        return error.Message;
    }

    [Fact]
    public void Unknown_key_names_its_full_path_and_position_and_suggests_the_right_one()
    {
        var message = ErrorOf("{\n  \"network\": {\n    \"alow_domain\": [\"example.com\"]\n  }\n}");

        Assert.StartsWith("profile.json:3:5: unknown key 'network.alow_domain' (did you mean 'allow_domain'?)", message);
    }

    [Theory]
    [InlineData("{\"filesystems\": {}}", "profile.json:1:2: unknown key 'filesystems'")]
    [InlineData("{\"filesystem\": {\"readonly\": []}}", "profile.json:1:17: unknown key 'filesystem.readonly'")]
    [InlineData("{\"environment\": {\"set\": {}}}", "profile.json:1:18: unknown key 'environment.set'")]
    [InlineData("{\"meta\": {\"license\": \"x\"}}", "profile.json:1:11: unknown key 'meta.license'")]
    [InlineData("{\"network\": {\"tls_intercept\": {\"all\": true}}}", "profile.json:1:32: unknown key 'network.tls_intercept.all'")]
    [InlineData("{\"network\": {\"custom_credentials\": {\"x\": {\"upstream\": \"https://a.example\", \"credential_key\": \"k\", \"header\": \"X\"}}}}",
        "profile.json:1:99: unknown key 'network.custom_credentials.x.header'")]
    public void Unknown_keys_at_every_level_are_errors(string json, string expected) =>
        Assert.StartsWith(expected, ErrorOf(json));

    [Theory]
    [InlineData("{\"network\": {\"block\": \"yes\"}}", "profile.json:1:23: 'network.block' must be true or false, not a string")]
    [InlineData("{\"filesystem\": {\"read\": \"/usr\"}}", "profile.json:1:25: 'filesystem.read' must be a list of strings or {\"path\": ..., \"when\": ...} objects, not a string")]
    [InlineData("{\"filesystem\": {\"read\": [\"/usr\", 7]}}", "profile.json:1:34: 'filesystem.read[1]' must be a string, not a number")]
    [InlineData("{\"extends\": 3}", "profile.json:1:13: 'extends' must be a string or a list of strings, not a number")]
    [InlineData("{\"network\": {\"tls_intercept\": {\"ca_validity_days\": 400}}}", "profile.json:1:52: 'network.tls_intercept.ca_validity_days' must be a whole number from 1 to 365, not a number")]
    [InlineData("{\"environment\": {\"set_vars\": {\"A\": 1}}}", "profile.json:1:36: 'environment.set_vars.A' must be a string, not a number")]
    [InlineData("[]", "profile.json:1:1: a profile must be a JSON object, not a list")]
    [InlineData("{\"network\": null}", "profile.json:1:13: 'network' must be an object, not null")]
    public void Wrong_types_are_errors_with_position(string json, string expected) =>
        Assert.Equal(expected, ErrorOf(json));

    [Theory]
    [InlineData("{\n  \"description\": \"x\"\n  \"extends\": \"y\"\n}", "profile.json:3:3: malformed JSON near '\"extends\": \"y\"'")]
    [InlineData("{\"description\": }", "profile.json:1:17: malformed JSON near '}'")]
    [InlineData("{\"a\": [1, 2", "profile.json:1:12: malformed JSON: the file ends before every object, list and string is closed")]
    [InlineData("", "profile.json: the file is empty")]
    [InlineData("{} {}", "profile.json:1:4: malformed JSON near '{}'")]
    public void Malformed_json_is_an_error_with_position(string json, string expected) =>
        Assert.StartsWith(expected, ErrorOf(json));

    [Fact]
    public void Duplicate_keys_are_errors() =>
        Assert.Equal("profile.json:1:22: duplicate key 'description'; each key may appear once per object", ErrorOf("{\"description\": \"a\", \"description\": \"b\"}"));

    [Theory]
    [InlineData("https://github.com", "is a URL; give only the host name, e.g. 'github.com'")]
    [InlineData("*", "would allow every host")]
    [InlineData("github.com/org", "contains a path")]
    [InlineData("github.com:443", "contains a port")]
    [InlineData("a..example.com", "has an empty label")]
    [InlineData(".example.com", "has an empty label")]
    [InlineData("*.com", "matches a whole top-level domain")]
    [InlineData("api.*.example.com", "'*' is only allowed as a whole leading label")]
    [InlineData("githib", "is neither a network group nor a host name with a dot")]
    [InlineData("bücher.example", "write internationalised names in their 'xn--' form")]
    [InlineData("::1", "IPv6 literals are not supported")]
    [InlineData("-bad.example.com", "cannot start or end with '-'")]
    public void Bad_host_patterns_are_errors_with_position(string host, string reason)
    {
        var message = ErrorOf($"{{\"network\": {{\"allow_domain\": [\"ok.example.com\", \"{host}\"]}}}}");

        Assert.StartsWith("profile.json:1:49: ", message);
        Assert.Contains(reason, message);
    }

    [Fact]
    public void Unknown_network_group_in_network_profile_is_an_error() =>
        Assert.StartsWith("profile.json:1:33: unknown network group 'llm'; known groups: ", ErrorOf("{\"network\": {\"network_profile\": \"llm\"}}"));

    [Theory]
    [InlineData("$HOME/../etc", "contains a '..' segment")]
    [InlineData("relative/dir", "is not an absolute path")]
    [InlineData("$SECRET_DIR/x", "uses '$SECRET_DIR'; paths may use only $HOME, $WORKDIR, $TMPDIR")]
    [InlineData("~root/.bashrc", "refers to another user's home")]
    [InlineData("${HOME/x", "has a '${' without a closing '}'")]
    [InlineData("", "has an empty path")]
    public void Bad_paths_are_errors_with_position(string path, string reason)
    {
        var message = ErrorOf($"{{\"filesystem\": {{\"read\": [\"{path}\"]}}}}");

        Assert.StartsWith("profile.json:1:26: 'filesystem.read'", message);
        Assert.Contains(reason, message);
    }

    [Theory]
    [InlineData("\"upstream\": \"ftp://x.example\", \"credential_key\": \"k\"", "is not an http:// or https:// URL")]
    [InlineData("\"upstream\": \"https://u:p@x.example\", \"credential_key\": \"k\"", "must not contain a user name or password")]
    [InlineData("\"credential_key\": \"k\"", "'network.custom_credentials.svc' needs 'upstream'")]
    [InlineData("\"upstream\": \"https://x.example\"", "'network.custom_credentials.svc' needs 'credential_key'")]
    [InlineData("\"upstream\": \"https://x.example\", \"credential_key\": \"vault://x\"", "Unknown credential source 'vault://'")]
    [InlineData("\"upstream\": \"https://x.example\", \"credential_key\": \"env://1BAD\"", "'env://1BAD' does not name an environment variable")]
    [InlineData("\"upstream\": \"https://x.example\", \"credential_key\": \"keyring://svc\"", "is not keyring://service/account")]
    [InlineData("\"upstream\": \"https://x.example\", \"credential_key\": \"op://vault\"", "is not a 1Password secret reference")]
    [InlineData("\"upstream\": \"https://x.example\", \"credential_key\": \"file://key.txt\"", "is not an absolute path")]
    [InlineData("\"upstream\": \"https://x.example\", \"credential_key\": \"k\", \"inject_mode\": \"cookie\"", "'cookie' is not an injection mode")]
    [InlineData("\"upstream\": \"https://x.example\", \"credential_key\": \"k\", \"inject_mode\": \"query_param\"", "uses inject_mode 'query_param' and needs 'query_param_name'")]
    [InlineData("\"upstream\": \"https://x.example\", \"credential_key\": \"k\", \"query_param_name\": \"key\"", "'network.custom_credentials.svc.query_param_name' has no effect with inject_mode 'header'")]
    [InlineData("\"upstream\": \"https://x.example\", \"credential_key\": \"k\", \"credential_format\": \"Bearer\"", "must contain '{}' where the credential goes")]
    [InlineData("\"upstream\": \"https://x.example\", \"credential_key\": \"k\", \"inject_header\": \"Bad Header\"", "is not a valid HTTP header name")]
    [InlineData("\"upstream\": \"https://x.example\", \"credential_key\": \"k\", \"endpoint_rules\": [{\"method\": \"GET\"}]", "needs 'path'")]
    [InlineData("\"upstream\": \"https://x.example\", \"credential_key\": \"k\", \"endpoint_rules\": [{\"method\": \"GET\", \"path\": \"v1\"}]", "must be a path starting with '/'")]
    public void Bad_custom_credentials_are_errors_with_position(string fields, string reason)
    {
        var message = ErrorOf($"{{\"network\": {{\"custom_credentials\": {{\"svc\": {{{fields}}}}}}}}}");

        Assert.Matches(@"^profile\.json:1:\d+: ", message);
        Assert.Contains(reason, message);
    }

    [Fact]
    public void A_key_pasted_as_its_credential_reference_is_refused_where_it_was_written_without_repeating_it()
    {
        const string Pasted = "sk-proj-Q2hlY2tNZUlmWW91Q2FuMTIzNDU2Nzg5";

        var message = ErrorOf($"{{\"network\": {{\"custom_credentials\": {{\"svc\": {{\"upstream\": \"https://x.example\", \"credential_key\": \"{Pasted}\"}}}}}}}}");

        Assert.StartsWith("profile.json:1:96: 'network.custom_credentials.svc.credential_key': ", message);
        Assert.Contains("looks like an API key itself", message);
        Assert.DoesNotContain("Q2hlY2tNZU", message);
    }

    [Fact]
    public void A_file_reference_under_the_home_is_accepted_and_expanded_later() =>
        Assert.Equal("file://~/.config/svc/key", ProfileParser.Parse(
            Encoding.UTF8.GetBytes("""{"network": {"custom_credentials": {"svc": {"upstream": "https://x.example", "credential_key": "file://~/.config/svc/key"}}}}"""),
            "profile.json").Network.CustomCredentials[0].CredentialKey);

    [Theory]
    [InlineData("\"upstream_proxy\": \"socks5://p.example:1080\"", "only http:// proxies")]
    [InlineData("\"upstream_proxy\": \"p.example\"", "must be host:port")]
    [InlineData("\"upstream_proxy\": \"user:pw@p.example:3128\"", "must not contain a user name or password")]
    [InlineData("\"credentials\": [\"open ai\"]", "is not a valid service name")]
    [InlineData("\"upstream_bypass\": [\"*\"]", "would allow every host")]
    public void Bad_network_scalars_are_errors_with_position(string fields, string reason)
    {
        var message = ErrorOf($"{{\"network\": {{{fields}}}}}");

        Assert.Matches(@"^profile\.json:1:\d+: ", message);
        Assert.Contains(reason, message);
    }

    [Theory]
    [InlineData("{\"environment\": {\"set_vars\": {\"BAD-NAME\": \"x\"}}}", "'BAD-NAME' is not a valid environment variable name")]
    [InlineData("{\"environment\": {\"deny_vars\": [\"A*B\"]}}", "'A*B' is not a variable name")]
    public void Bad_environment_entries_are_errors_with_position(string json, string reason)
    {
        var message = ErrorOf(json);

        Assert.Matches(@"^profile\.json:1:\d+: ", message);
        Assert.Contains(reason, message);
    }
}
