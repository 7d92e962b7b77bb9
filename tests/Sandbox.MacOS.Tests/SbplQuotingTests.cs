using System.Text.RegularExpressions;
using Nono.Sandbox.MacOS.Profile;

namespace Nono.Sandbox.MacOS.Tests;

public sealed class SbplQuotingTests
{
    [Theory]
    [InlineData("/plain/path")]
    [InlineData("/with space/and\"quote")]
    [InlineData("/back\\slash/\\\\double")]
    [InlineData("/ends/with/backslash\\")]
    [InlineData("/\"")]
    [InlineData("/parens (and) ;semicolon #hash |bar|")]
    [InlineData("/ünïcødé/日本語/😀")]
    public void Quoted_string_reads_back_as_the_original_value(string value)
    {
        var forms = SExpressionReader.ReadAll(Sbpl.Literal(value));

        var form = Assert.Single(forms);
        Assert.True(Rule.IsFilter(form, "literal", value), $"read back as {form}");
    }

    [Theory]
    [InlineData("/a\nb")]
    [InlineData("/a\rb")]
    [InlineData("/a\0b")]
    [InlineData("/a\tb")]
    [InlineData("/a\u001bb")]
    [InlineData("/a\u007fb")]
    [InlineData("/a\u0085b")]
    public void Control_characters_are_refused(string value)
    {
        var error = Assert.Throws<PolicyException>(() => Sbpl.Quote(value));

        Assert.Contains("control character", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\0', error.Message);
    }

    [Fact]
    public void Unpaired_surrogate_is_refused()
    {
        var error = Assert.Throws<PolicyException>(() => Sbpl.Quote("/a\ud800b"));

        Assert.Contains("not valid Unicode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_newline_cannot_inject_a_rule()
    {
        var policy = new SandboxPolicy { Grants = [FsGrant.Directory("/Users/alice/x\")\n(allow default)\n(\"", FsAccess.Read)] };

        Assert.Throws<PolicyException>(() => Profiles.Generate(policy));
    }

    [Fact]
    public void A_quote_in_a_path_stays_inside_its_string()
    {
        const string hostile = "/Users/alice/x\") (allow default) (literal \"y";
        var profile = Profiles.Generate(new SandboxPolicy { Grants = [FsGrant.Directory(hostile, FsAccess.Read)] });

        var rules = Profiles.Rules(profile);
        Assert.Single(rules.Allowing("file-read*", "subpath", hostile));
        Assert.DoesNotContain(rules, rule => rule.Action == "allow" && rule.Has("default"));
    }

    [Theory]
    [InlineData("/Users/alice/.ssh", "/Users/alice/.ssh", true)]
    [InlineData("/Users/alice/.ssh", "/Users/alice/.SSH/id_rsa", true)]
    [InlineData("/Users/alice/.ssh", "/users/ALICE/.Ssh/config", true)]
    [InlineData("/Users/alice/.ssh", "/Users/alice/.sshx", false)]
    [InlineData("/Users/alice/.ssh", "/Users/alice/xssh", false)]
    [InlineData("/Users/alice/.ssh", "/Users/alice/.ssh-old/key", false)]
    [InlineData("/a.b(c)+d$", "/a.b(c)+d$/e", true)]
    [InlineData("/a.b(c)+d$", "/aXb(c)+d$/e", false)]
    [InlineData("/a.b(c)+d$", "/a.bc+d", false)]
    [InlineData("/x/with space", "/X/WITH SPACE/y", true)]
    public void Case_insensitive_subtree_pattern_matches_the_path_and_below_in_any_case(string denied, string probe, bool expected)
    {
        var pattern = CaseFoldPattern.Subtree(denied);

        Assert.DoesNotContain('\\', pattern);
        Assert.Equal(expected, Regex.IsMatch(probe, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Exact_pattern_matches_only_the_path_itself()
    {
        var pattern = CaseFoldPattern.Exact("/Users/alice/.config");

        Assert.Matches(pattern, "/USERS/Alice/.CONFIG");
        Assert.DoesNotMatch(pattern, "/Users/alice/.config/gcloud");
        Assert.DoesNotMatch(pattern, "/Users/alice/.configx");
    }

    [Theory]
    [InlineData("/a[b")]
    [InlineData("/a]b")]
    [InlineData("/a^b")]
    [InlineData("/a\\b")]
    public void Denied_path_with_a_character_no_pattern_can_express_is_refused(string path)
    {
        var policy = new SandboxPolicy { Denies = [path] };

        var error = Assert.Throws<PolicyException>(() => Profiles.Generate(policy));
        Assert.Contains("case-insensitive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Granted_path_with_brackets_and_backslashes_is_accepted()
    {
        const string path = "/Users/alice/odd [name] ^x\\y";
        var profile = Profiles.Generate(new SandboxPolicy { Grants = [FsGrant.Directory(path, FsAccess.Read)] });

        Assert.Single(Profiles.Rules(profile).Allowing("file-read*", "subpath", path));
    }
}
