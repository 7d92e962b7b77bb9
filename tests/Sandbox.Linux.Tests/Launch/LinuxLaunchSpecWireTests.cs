using System.Reflection;
using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Seccomp;

namespace Nono.Sandbox.Linux.Tests.Launch;

/// <summary>The Linux stage 2's own fields travel after the shared part and come back as they went.</summary>
public sealed class LinuxLaunchSpecWireTests
{
    private static readonly LinuxLaunchSpec Full = new()
    {
        Policy = new SandboxPolicy { Grants = [FsGrant.Directory("/work", FsAccess.ReadWrite)], Network = NetworkPolicy.ViaProxy(3128) },
        Target = new LaunchTarget("/bin/true", ["true"], ["PATH=/bin"], "/work"),
        ParentPid = 77,
        ControllingTerminal = true,
        Verbose = true,
        NetworkNamespace = true,
        MountNamespace = true,
        IpcNamespace = true,
        PidNamespace = true,
        LifelineFd = 9,
        ProxyFallback = true,
        SocketRule = SocketRule.UnixAndInetTcpOnly,
        Guards = HostGuards.SysVIpc | HostGuards.OtherProcesses | HostGuards.TerminalForeground,
        ChannelFd = 11,
    };

    [Fact]
    public void Every_field_round_trips()
    {
        var back = LinuxLaunchSpec.Decode(Full.Encode());

        foreach (var property in typeof(LinuxLaunchSpec).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetValue(Full);
            if (value is bool or int or Enum)
            {
                Assert.True(!Equals(value, Activator.CreateInstance(property.PropertyType)), $"{property.Name} has its default value in the sample: give it another");
                Assert.True(Equals(value, property.GetValue(back)), $"{property.Name}: {property.GetValue(back)} came back for {value}");
            }
        }

        Assert.Equal(Full.Policy.Grants, back.Policy.Grants);
        Assert.Equal(Full.Target.Arguments, back.Target.Arguments);
    }

    [Fact]
    public void Socket_rule_count_on_the_wire_matches_the_enumeration() =>
        Assert.Equal(Enum.GetValues<SocketRule>().Select(v => (int)v), Enumerable.Range(0, LinuxLaunchSpec.SocketRuleCount));

    [Fact]
    public void An_unknown_socket_rule_is_refused()
    {
        var payload = Full.Encode();
        // SocketRule is the third-to-last integer before Guards and ChannelFd.
        BitConverter.TryWriteBytes(payload.AsSpan(payload.Length - 12, 4), 7);
        var error = Assert.Throws<SandboxSetupException>(() => LinuxLaunchSpec.Decode(payload));
        Assert.Contains("SocketRule", error.Message, StringComparison.Ordinal);
    }
}
