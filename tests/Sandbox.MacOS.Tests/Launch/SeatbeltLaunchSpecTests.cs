using Nono.Interop;
using Nono.Sandbox.MacOS.Launch;

namespace Nono.Sandbox.MacOS.Tests.Launch;

public sealed class SeatbeltLaunchSpecTests
{
    private static readonly LaunchTarget Target = new(
        "/usr/bin/env",
        ["env", "two words", "line\nbreak", "ünïcödé"],
        ["PATH=/usr/bin:/bin", "HTTP_PROXY=http://nono:tok%2Fen@127.0.0.1:41000", "EMPTY=", "EQUALS=a=b=c"],
        "/Users/alice/project");

    private static SandboxLaunchRequest Request(bool terminal = false) => new()
    {
        Policy = new SandboxPolicy
        {
            Grants = [FsGrant.Directory("/Users/alice/project", FsAccess.ReadWrite)],
            Denies = ["/Users/alice/.ssh"],
            Network = NetworkPolicy.ViaProxy(41000) with { ConnectPorts = [5432] },
        },
        Context = new SeatbeltContext("/Users/alice"),
        Target = Target,
        ControllingTerminal = terminal,
        Verbose = true,
    };

    [Fact]
    public void Spec_round_trips_policy_target_environment_and_session_flags()
    {
        var spec = SandboxLauncher.SpecFor(Request(terminal: true), parentPid: 4242);

        var back = MacOSLaunchSpec.Decode(spec.Encode());

        Assert.Equal(Target.Executable, back.Target.Executable);
        Assert.Equal(Target.Arguments, back.Target.Arguments);
        Assert.Equal(Target.Environment, back.Target.Environment);
        Assert.Equal(Target.WorkingDirectory, back.Target.WorkingDirectory);
        Assert.Equal("/Users/alice", back.Home);
        Assert.Equal(4242, back.ParentPid);
        Assert.True(back.ControllingTerminal);
        Assert.True(back.Verbose);
        Assert.Equal(spec.Policy.Grants, back.Policy.Grants);
        Assert.Equal(spec.Policy.Denies, back.Policy.Denies);
        Assert.Equal([(ushort)41000], back.Policy.Network.ProxyPorts);
        Assert.Equal([(ushort)5432], back.Policy.Network.ConnectPorts);
    }

    [Fact]
    public void Round_tripped_policy_generates_the_same_profile()
    {
        var request = Request();
        var spec = SandboxLauncher.SpecFor(request, parentPid: 1);
        var back = MacOSLaunchSpec.Decode(spec.Encode());

        Assert.Equal(
            Profiles.Generate(request.Policy),
            Profiles.Generate(back.Policy));
    }

    [Fact]
    public void Trampoline_command_line_carries_no_part_of_the_spec()
    {
        var request = Request() with { Stage2Arguments = ["/tests/host.dll"] };

        var argv = SandboxLauncher.Stage2Command(request, "/usr/local/bin/nono");

        Assert.Equal(["/usr/local/bin/nono", "/tests/host.dll", "__sandbox-exec", "3"], argv);
        Assert.DoesNotContain(argv, arg => arg.Contains("tok", StringComparison.Ordinal) || arg.Contains("alice", StringComparison.Ordinal));
    }

    [Fact]
    public void Stage2_environment_is_a_bare_path_not_the_callers()
    {
        var caller = new Dictionary<string, string> { ["HOME"] = "/Users/alice", ["OPENAI_API_KEY"] = "sk-real" };

        Assert.Equal(["PATH=/usr/bin:/bin:/usr/sbin:/sbin"], SandboxLauncher.Stage2Environment(caller.GetValueOrDefault));
    }

    [Fact]
    public void Stage2_environment_keeps_where_the_dotnet_runtime_is()
    {
        var caller = new Dictionary<string, string> { ["DOTNET_ROOT"] = "/opt/dotnet", ["SECRET"] = "x" };

        Assert.Equal(["PATH=/usr/bin:/bin:/usr/sbin:/sbin", "DOTNET_ROOT=/opt/dotnet"], SandboxLauncher.Stage2Environment(caller.GetValueOrDefault));
    }

    [Fact]
    public void Spawn_mapping_rejects_a_source_that_an_earlier_action_replaced()
    {
        SpawnMapping.Check([(7, 0), (7, 1), (7, 2), (9, 3)]);
        SpawnMapping.Check([(3, 3)]);

        Assert.Throws<SandboxSetupException>(() => SpawnMapping.Check([(5, 0), (0, 3)]));
        Assert.Throws<SandboxSetupException>(() => SpawnMapping.Check([(-1, 0)]));
    }
}
