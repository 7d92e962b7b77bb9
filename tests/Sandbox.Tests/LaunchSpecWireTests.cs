using System.Reflection;
using System.Text.Json;

namespace Nono.Sandbox.Tests;

/// <summary>The binary launch spec: every field survives, and a damaged payload is refused with a reason.</summary>
public sealed class LaunchSpecWireTests
{
    private sealed record TestSpec : LaunchSpec;

    /// <summary>A spec in which every property of every record on the wire differs from its default.</summary>
    internal static readonly SandboxPolicy FullPolicy = new()
    {
        Grants = [FsGrant.Directory("/work", FsAccess.ReadWrite), FsGrant.File("/etc/hosts", FsAccess.Read), FsGrant.Directory("/opt/ünï", FsAccess.All)],
        Denies = ["/home/u/.ssh", "/home/u/.aws"],
        ReadOnly = [new ReadOnlyPath("/work/.git/hooks", "git hooks run outside", Pinned: true), new ReadOnlyPath("/work/.git/config", "config")],
        SessionCopies = [new SessionCopy("/home/u/.claude.json", "/tmp/s/claude.json", "agent state")],
        Network = NetworkPolicy.ViaProxy(41000, 41001) with { ConnectPorts = [5432], BindPorts = [8080, 65535] },
        RequireIsolation = true,
        AllowUnixSockets = true,
    };

    internal static readonly LaunchTarget FullTarget = new(
        "/usr/bin/env",
        ["env", "two words", "line\nbreak", "ünïcödé", string.Empty],
        ["PATH=/usr/bin:/bin", "EMPTY=", "EQUALS=a=b=c"],
        "/work/project");

    private static readonly TestSpec Full = new() { Policy = FullPolicy, Target = FullTarget, ParentPid = 4242, ControllingTerminal = true, Verbose = true };

    private static byte[] Encode(LaunchSpec spec)
    {
        var writer = new SpecWriter();
        LaunchSpecWire.WriteShared(writer, spec);
        return writer.ToArray();
    }

    private static TestSpec Decode(byte[] payload)
    {
        var reader = new SpecReader(payload);
        var shared = LaunchSpecWire.ReadShared(ref reader);
        reader.End();
        return new TestSpec { Policy = shared.Policy, Target = shared.Target, ParentPid = shared.ParentPid, ControllingTerminal = shared.ControllingTerminal, Verbose = shared.Verbose };
    }

    [Fact]
    public void Every_shared_field_round_trips()
    {
        var back = Decode(Encode(Full));

        Assert.Equal(JsonSerializer.Serialize(Full.Policy, PolicyJson.Default.SandboxPolicy), JsonSerializer.Serialize(back.Policy, PolicyJson.Default.SandboxPolicy));
        Assert.Equal(Full.Target.Executable, back.Target.Executable);
        Assert.Equal(Full.Target.Arguments, back.Target.Arguments);
        Assert.Equal(Full.Target.Environment, back.Target.Environment);
        Assert.Equal(Full.Target.WorkingDirectory, back.Target.WorkingDirectory);
        Assert.Equal(4242, back.ParentPid);
        Assert.True(back.ControllingTerminal);
        Assert.True(back.Verbose);
    }

    [Fact]
    public void The_full_sample_sets_every_property_so_a_new_one_cannot_be_left_off_the_wire()
    {
        // A property added to one of these records must be given a value in the sample above, and
        // the round trip then fails until the wire carries it.
        AssertNoDefaults(Full);
        AssertNoDefaults(Full.Policy);
        AssertNoDefaults(Full.Policy.Network);
        AssertNoDefaults(Full.Policy.ReadOnly[0]);
        AssertNoDefaults(Full.Policy.SessionCopies[0]);
        AssertNoDefaults(Full.Policy.Grants[1]); // the file grant: FsTarget.Directory is 0
        AssertNoDefaults(Full.Target);
    }

    [Fact]
    public void Enumeration_counts_on_the_wire_match_the_enumerations()
    {
        Assert.Equal(Enum.GetValues<FsTarget>().Select(v => (int)v), Enumerable.Range(0, LaunchSpecWire.FsTargetCount));
        Assert.Equal(Enum.GetValues<NetworkMode>().Select(v => (int)v), Enumerable.Range(0, LaunchSpecWire.NetworkModeCount));
    }

    [Fact]
    public void Every_truncation_is_refused_with_a_reason()
    {
        var payload = Encode(Full);
        for (var length = 0; length < payload.Length; length++)
        {
            var error = Assert.Throws<SandboxSetupException>(() => Decode(payload[..length]));
            Assert.StartsWith("read the launch spec", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Trailing_bytes_a_foreign_header_and_impossible_values_are_refused()
    {
        var payload = Encode(Full);
        Assert.Throws<SandboxSetupException>(() => Decode([.. payload, 0]));

        var foreign = (byte[])payload.Clone();
        foreign[0] ^= 0x20;
        Assert.Contains("header", Assert.Throws<SandboxSetupException>(() => Decode(foreign)).Message, StringComparison.Ordinal);

        // The first list count (grants) sits right after the header: claim more items than bytes left.
        var header = "nono launch spec 1\n"u8.Length;
        var huge = (byte[])payload.Clone();
        BitConverter.TryWriteBytes(huge.AsSpan(header, 4), int.MaxValue);
        Assert.Contains("does not fit", Assert.Throws<SandboxSetupException>(() => Decode(huge)).Message, StringComparison.Ordinal);

        var negative = (byte[])payload.Clone();
        BitConverter.TryWriteBytes(negative.AsSpan(header, 4), -1);
        Assert.Throws<SandboxSetupException>(() => Decode(negative));
    }

    [Fact]
    public void A_grant_with_access_bits_that_do_not_exist_is_refused()
    {
        var policy = FullPolicy with { Grants = [new FsGrant("/work", (FsAccess)8, FsTarget.Directory)] };
        var error = Assert.Throws<SandboxSetupException>(() => Decode(Encode(Full with { Policy = policy })));
        Assert.Contains("FsAccess", error.Message, StringComparison.Ordinal);
    }

    internal static void AssertNoDefaults(object value)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
            {
                continue;
            }

            var current = property.GetValue(value);
            var isDefault = current switch
            {
                null => true,
                bool flag => !flag,
                int number => number == 0 || number == -1,
                string text => text.Length == 0,
                System.Collections.ICollection list => list.Count == 0,
                Enum member => Convert.ToInt32(member, System.Globalization.CultureInfo.InvariantCulture) == 0,
                _ => false,
            };
            Assert.False(isDefault, $"{value.GetType().Name}.{property.Name} has its default value in the sample");
        }
    }
}
