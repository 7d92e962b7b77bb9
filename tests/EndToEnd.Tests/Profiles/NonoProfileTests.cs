using System.Text.Json;

namespace Nono.EndToEnd.Tests.Profiles;

/// <summary>
/// nono 0.74's own built-in profiles, each saved to a file as a user would, run through the published
/// binary. The home lies outside /tmp: nono's system_write_linux group grants /tmp, which must not be
/// above the home.
/// </summary>
public sealed class NonoProfileTests : IDisposable
{
    private static readonly string PolicyFile = Path.Join(
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

    private readonly string _root = Directory.CreateDirectory(Path.Join("/var/tmp", "nono-e2e-profiles-" + Path.GetRandomFileName())).FullName;

    public NonoProfileTests()
    {
        Home = Directory.CreateDirectory(Path.Join(_root, "home")).FullName;
        Project = Directory.CreateDirectory(Path.Join(Home, "project")).FullName;
        Directory.CreateDirectory(Path.Join(Home, ".aws"));
        File.WriteAllText(Path.Join(Home, ".aws", "credentials"), "[default]\naws_secret_access_key = secret\n");
        File.WriteAllText(Path.Join(Home, ".bashrc"), "export API_TOKEN=secret\n");
        File.WriteAllText(Path.Join(Home, "notes.txt"), "notes\n");
    }

    private string Home { get; }

    private string Project { get; }

    private Dictionary<string, string?> Variables => new() { ["HOME"] = Home, ["XDG_CONFIG_HOME"] = null, ["TMPDIR"] = null };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        using var policy = JsonDocument.Parse(File.ReadAllText(PolicyFile));
        foreach (var profile in policy.RootElement.GetProperty("profiles").EnumerateObject())
        {
            data.Add(profile.Name);
        }

        return data;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Every_profile_of_nono_policy_json_loads_with_run_dry_run(string name)
    {
        var file = Extract(name);

        var result = await Run.ProcessAsync(NonoBinary.Path, ["run", "--profile", file, "--dry-run", "--", "/bin/true"], Variables, Project);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Nono_default_hides_aws_and_bashrc_under_a_read_grant_of_the_home()
    {
        var file = Extract("default");
        string[] flags = ["run", "--profile", file, "--read", Home, "--read", NonoBinary.ProbeDirectory, "--"];

        ProbeAssert.Denied(await Run.ProcessAsync(NonoBinary.Path, [.. flags, NonoBinary.Probe, "read", Path.Join(Home, ".bashrc")], Variables, Project));
        ProbeAssert.Denied(await Run.ProcessAsync(NonoBinary.Path, [.. flags, NonoBinary.Probe, "read", Path.Join(Home, ".aws", "credentials")], Variables, Project));
        ProbeAssert.Allowed(await Run.ProcessAsync(NonoBinary.Path, [.. flags, NonoBinary.Probe, "read", Path.Join(Home, "notes.txt")], Variables, Project));
    }

    [Fact]
    public async Task Nono_default_blocks_its_dangerous_commands_and_leaves_others_runnable()
    {
        var file = Extract("default");
        var victim = Path.Join(Project, "keep.txt");
        File.WriteAllText(victim, "keep\n");

        var rm = await Run.ProcessAsync(NonoBinary.Path, ["run", "--profile", file, "--allow", Project, "--", "/usr/bin/rm", victim], Variables, Project);
        var ls = await Run.ProcessAsync(NonoBinary.Path, ["run", "--profile", file, "--allow", Project, "--", "/usr/bin/ls", Project], Variables, Project);

        Assert.NotEqual(0, rm.ExitCode);
        Assert.True(File.Exists(victim), rm.ToString());
        Assert.True(ls.ExitCode == 0 && ls.Stdout.Contains("keep.txt", StringComparison.Ordinal), ls.ToString());
    }

    [Fact]
    public async Task Wrap_takes_a_profile_and_hides_what_it_denies()
    {
        var file = Extract("default");

        var hidden = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--profile", file, "--read", Home, "--read", NonoBinary.ProbeDirectory, "--", NonoBinary.Probe, "read", Path.Join(Home, ".bashrc")], Variables, Project);
        var notes = await Run.ProcessAsync(NonoBinary.Path, ["wrap", "--profile", file, "--read", Home, "--read", NonoBinary.ProbeDirectory, "--", NonoBinary.Probe, "read", Path.Join(Home, "notes.txt")], Variables, Project);

        ProbeAssert.Denied(hidden);
        ProbeAssert.Allowed(notes);
    }

    [Fact]
    public async Task Profile_check_classifies_every_key_and_refuses_what_cannot_be_enforced()
    {
        var nonoDefault = await Run.ProcessAsync(NonoBinary.Path, ["profile", "check", Extract("default")], Variables, Project);
        var secrets = Path.Join(_root, "secrets.json");
        File.WriteAllText(secrets, """{"env_credentials": {"openai": "OPENAI_API_KEY"}, "rollback": {}}""");
        var refused = await Run.ProcessAsync(NonoBinary.Path, ["profile", "check", secrets], Variables, Project);

        Assert.True(nonoDefault.ExitCode == 0, nonoDefault.ToString());
        Assert.Contains("enforced  groups.include", nonoDefault.Stdout, StringComparison.Ordinal);
        Assert.Contains("ignored   interactive", nonoDefault.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("REFUSED   env_credentials", refused.Stdout, StringComparison.Ordinal);
        Assert.Contains("ignored   rollback", refused.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extending_a_registry_pack_says_packs_are_not_supported()
    {
        var file = Path.Join(_root, "pack.json");
        File.WriteAllText(file, """{"extends": "nolabs-ai/claude"}""");

        var result = await Run.ProcessAsync(NonoBinary.Path, ["run", "--profile", file, "--dry-run", "--", "/bin/true"], Variables, Project);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'nolabs-ai/claude' names a registry pack, and packs are not supported", result.Stderr, StringComparison.Ordinal);
    }

    private string Extract(string name)
    {
        using var policy = JsonDocument.Parse(File.ReadAllText(PolicyFile));
        var path = Path.Join(_root, $"nono-{name}.json");
        File.WriteAllText(path, policy.RootElement.GetProperty("profiles").GetProperty(name).GetRawText());
        return path;
    }
}
