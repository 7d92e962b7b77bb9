using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Policy;

namespace Nono.Sandbox.Linux.Tests.Launch;

/// <summary>
/// The network namespace a standby is started with is the one the plan then gives the session, for
/// every mode and the kernels where blocked mode needs one.
/// </summary>
public sealed class NetworkNamespacePredictionTests
{
    public static TheoryData<NetworkMode, int, bool> Cases => new()
    {
        { NetworkMode.Proxy, 7, true },
        { NetworkMode.Proxy, 4, true },
        { NetworkMode.Blocked, 7, false },
        { NetworkMode.Blocked, 6, false },
        { NetworkMode.Blocked, 5, true },
        { NetworkMode.Blocked, 1, true },
        { NetworkMode.Host, 7, false },
        { NetworkMode.Host, 3, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_prediction_is_the_plans_decision(NetworkMode mode, int abi, bool expected)
    {
        var detected = LinuxHost.Detect();
        Assert.True(detected.UserNamespaces.Available, detected.UserNamespaces.UnavailableReason);
        var host = detected with { LandlockAbi = abi };
        var network = mode switch
        {
            NetworkMode.Proxy => NetworkPolicy.ViaProxy(18082),
            NetworkMode.Blocked => NetworkPolicy.Blocked,
            _ => NetworkPolicy.Host,
        };
        var plan = LinuxLaunchPlan.Create(new SandboxPolicy { Grants = LinuxSystemPolicy.BaseGrants(PrivateTemp.Ensure()), Network = network }, host, supervised: true);

        Assert.Equal(expected, LinuxLaunchPlan.NetworkNamespaceFor(mode, host));
        Assert.Equal(expected, plan.NetworkNamespace);
    }

    [Fact]
    public void Without_user_namespaces_nothing_is_predicted()
    {
        var detected = LinuxHost.Detect();
        var host = detected with { UserNamespaces = detected.UserNamespaces.Unavailable("simulated") };

        Assert.False(LinuxLaunchPlan.NetworkNamespaceFor(NetworkMode.Proxy, host));
        Assert.False(LinuxLaunchPlan.NetworkNamespaceFor(NetworkMode.Blocked, host with { LandlockAbi = 5 }));
        Assert.Null(Stage2Standby.Start(host, NetworkMode.Proxy));
    }
}
