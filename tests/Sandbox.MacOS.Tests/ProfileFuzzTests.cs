using System.Text;

namespace Nono.Sandbox.MacOS.Tests;

/// <summary>
/// Random hostile policies. Whatever the paths hold, generation either refuses with a
/// PolicyException or produces a profile that parses, whose every bare symbol comes from the
/// generator's fixed vocabulary (so nothing from a path escaped its string), and in which every
/// granted path appears verbatim as a string.
/// </summary>
public sealed class ProfileFuzzTests
{
    private static readonly string[] Tokens =
    [
        "\"", "\\", "\\\"", "(", ")", ";", "#|", "|#", "#\"", "'", "`", ",", "@", "[", "]", "^", "$", "*", "+", "?", "{", "}", "|",
        " ", "  ", ".", "..", "/", "//", "/..", "/.", "~", "-", "_", "%", "&", "=", "!",
        "\n", "\r", "\r\n", "\0", "\t", "\u001b", "\u007f", "\u0085", "\u2028", "\ufeff",
        "é", "日本", "😀", "\ud800", "\udc00",
        "allow", "deny", "default", "(allow default)", "\")(allow default)(\"", "subpath", "literal",
        "a", "b", "src", "Work", "SSH", ".ssh", "..", "x",
    ];

    private static readonly HashSet<string> Vocabulary = new(StringComparer.Ordinal)
    {
        "version", "1", "allow", "deny", "default",
        "subpath", "literal", "regex", "path-regex",
        "file-read*", "file-write*", "file-read-data", "file-write-data", "file-read-metadata", "file-test-existence",
        "file-map-executable", "file-ioctl", "file-write-unlink", "file-write-create",
        "process-fork", "process-exec*", "process-info*", "signal", "target", "same-sandbox",
        "sysctl-read", "sysctl-name-prefix", "mach-host*", "user-preference-read", "preference-domain", "ipc-posix-sem", "ipc-posix-shm",
        "iokit-open", "iokit-registry-entry-class", "pseudo-tty",
        "mach-lookup", "global-name", "global-name-prefix",
        "system-socket", "socket-domain", "AF_UNIX", "AF_INET", "AF_INET6",
        "network*", "network-bind", "network-inbound", "network-outbound", "local", "remote", "tcp", "unix-socket",
        "ioctl-command", "2147578994",
    };

    [Fact]
    public void Hostile_paths_never_produce_an_unparsable_or_injected_profile()
    {
        var random = new Random(20240917);
        var generated = 0;
        var refused = 0;
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var policy = RandomPolicy(random);
            string profile;
            try
            {
                profile = Profiles.Generate(policy);
            }
            catch (PolicyException)
            {
                refused++;
                continue;
            }

            generated++;
            AssertWellFormed(profile, policy, iteration);
        }

        // Both outcomes must actually occur, or the test is not exercising what it claims.
        Assert.True(generated > 500, $"only {generated} profiles were generated");
        Assert.True(refused > 100, $"only {refused} policies were refused");
    }

    [Fact]
    public void Every_network_mode_produces_only_known_symbols()
    {
        foreach (var network in new[]
        {
            NetworkPolicy.Blocked with { BindPorts = [3000], ConnectPorts = [5432] },
            NetworkPolicy.Host,
            NetworkPolicy.ViaProxy(8080) with { BindPorts = [3000], ConnectPorts = [5432] },
        })
        {
            var policy = new SandboxPolicy
            {
                Network = network,
                Grants = [FsGrant.Directory(Profiles.Home, FsAccess.All), FsGrant.File("/tmp/f", FsAccess.ReadWrite)],
                Denies = ["/Users/alice/private"],
            };
            AssertWellFormed(Profiles.Generate(policy), policy, 0);
        }
    }

    private static void AssertWellFormed(string profile, SandboxPolicy policy, int iteration)
    {
        IReadOnlyList<SExpression> forms;
        try
        {
            forms = SExpressionReader.ReadAll(profile);
        }
        catch (FormatException error)
        {
            Assert.Fail($"iteration {iteration}: profile does not parse ({error.Message}):\n{profile}");
            return;
        }

        Assert.Equal("(version 1)", forms[0].ToString());
        Assert.Equal("(deny default)", forms[1].ToString());
        foreach (var form in forms)
        {
            Assert.True(form is SExpression.List { Head: "version" or "allow" or "deny" }, $"iteration {iteration}: unexpected top-level form {form}");
            foreach (var node in form.Descendants())
            {
                if (node is SExpression.Atom atom)
                {
                    Assert.True(Vocabulary.Contains(atom.Text), $"iteration {iteration}: symbol '{atom.Text}' did not come from the generator");
                }
            }
        }

        var strings = forms.SelectMany(form => form.Descendants()).OfType<SExpression.Str>().Select(str => str.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var grant in policy.Grants)
        {
            Assert.Contains(PathUtil.Normalize(grant.Path, "/"), strings);
        }

        foreach (var comment in profile.Split('\n').Where(line => line.StartsWith(';')))
        {
            Assert.DoesNotContain("/Users/alice/work", comment, StringComparison.Ordinal);
        }
    }

    private static SandboxPolicy RandomPolicy(Random random)
    {
        var grants = new List<FsGrant>();
        var denies = new List<string>();
        var entries = random.Next(1, 4);
        for (var i = 0; i < entries; i++)
        {
            var path = "/Users/alice/work/" + RandomSegment(random);
            if (random.Next(4) == 0)
            {
                denies.Add(path);
            }
            else
            {
                var access = (FsAccess)random.Next(1, 8);
                grants.Add(random.Next(2) == 0 ? FsGrant.Directory(path, access) : FsGrant.File(path, access));
            }
        }

        var network = random.Next(3) switch
        {
            0 => NetworkPolicy.Blocked,
            1 => NetworkPolicy.Host,
            _ => NetworkPolicy.ViaProxy((ushort)random.Next(1, 65536)) with { BindPorts = [(ushort)random.Next(1, 65536)] },
        };
        return new SandboxPolicy { Grants = grants, Denies = denies, Network = network };
    }

    private static string RandomSegment(Random random)
    {
        var segment = new StringBuilder();
        var count = random.Next(1, 10);
        for (var i = 0; i < count; i++)
        {
            segment.Append(Tokens[random.Next(Tokens.Length)]);
        }

        return segment.ToString();
    }
}
