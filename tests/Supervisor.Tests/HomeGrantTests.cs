using Nono.Supervisor.Cli;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

/// <summary>A grant of the home (or around its credentials) gets one answer from run, shell and wrap.</summary>
public sealed class HomeGrantTests
{
    [Fact]
    public void Run_and_wrap_refuse_write_access_to_the_home_with_the_same_message()
    {
        using var host = new TestHost();

        var run = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Allow = [host.Home] }));
        var wrap = Assert.Throws<ProfileException>(() => WrapCommand.Resolve(new WrapOptions { Command = ["/bin/true"], Allow = [host.Home] }, host.Environment));

        Assert.Equal(run.Message, wrap.Message);
        Assert.Contains("write access to your home directory", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrap_refuses_the_home_even_when_every_sensitive_path_exists()
    {
        using var host = new TestHost();
        foreach (var relative in Sandbox.SensitivePaths.UnderHome)
        {
            var path = Path.Join(host.Home, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Directory.CreateDirectory(path);
        }

        var error = Assert.Throws<ProfileException>(() => WrapCommand.Resolve(new WrapOptions { Command = ["/bin/true"], Allow = [host.Home] }, host.Environment));

        Assert.Contains("write access to your home directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refusal_names_its_flag_once()
    {
        using var host = new TestHost();

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Allow = [host.Home] }));

        Assert.StartsWith("command line (--allow): '", error.Message, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(error.Message, "command line"));
    }

    [Fact]
    public void Writable_grant_over_missing_credential_paths_lists_them_all_with_one_command()
    {
        using var host = new TestHost();
        var config = host.MakeDirectory(".config");

        var run = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Allow = [config] }));
        var wrap = Assert.Throws<ProfileException>(() => WrapCommand.Resolve(new WrapOptions { Command = ["/bin/true"], Allow = [config] }, host.Environment));

        Assert.Equal(run.Message, wrap.Message);
        Assert.Contains(Path.Join(config, "gcloud"), run.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Join(config, "gh"), run.Message, StringComparison.Ordinal);
        Assert.Contains($"mkdir -p -m 700 '{Path.Join(config, "gcloud")}' '{Path.Join(config, "gh")}'", run.Message, StringComparison.Ordinal);
        Assert.Contains($"touch '{Path.Join(config, "git", "credentials")}'", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Once_the_missing_paths_exist_the_grant_is_accepted_and_they_are_hidden()
    {
        using var host = new TestHost();
        var config = host.MakeDirectory(".config");
        host.MakeDirectory(".config/gcloud");
        host.MakeDirectory(".config/gh");
        host.MakeDirectory(".config/git");
        File.WriteAllText(Path.Join(config, "git", "credentials"), string.Empty);

        var settings = WrapCommand.Resolve(new WrapOptions { Command = ["/bin/true"], Allow = [config] }, host.Environment);
        var policy = WrapPolicyBuilder.Build(settings, [], host.Environment.SensitiveHomes());

        Assert.Contains(Path.Join(config, "gcloud"), policy.Denies);
        Assert.Contains(Path.Join(config, "gh"), policy.Denies);
    }

    [Fact]
    public void Read_access_to_the_home_is_given_with_its_credentials_hidden_by_both_commands()
    {
        using var host = new TestHost();

        var run = host.Resolve(new SessionFlags { Read = [host.Home] });
        var wrap = WrapCommand.Resolve(new WrapOptions { Command = ["/bin/true"], Read = [host.Home] }, host.Environment);

        Assert.Contains(run.Grants, grant => grant.Path == host.Home);
        Assert.Contains(wrap.Grants, grant => grant.Path == host.Home);
        Assert.Contains(Path.Join(host.Home, ".ssh"), WrapPolicyBuilder.Build(wrap, [], host.Environment.SensitiveHomes()).Denies);
    }
}
