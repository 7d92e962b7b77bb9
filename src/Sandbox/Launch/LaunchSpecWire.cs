namespace Nono.Sandbox;

/// <summary>
/// The shared part of a launch spec in its binary form (<see cref="SpecWriter"/>): a header, the
/// policy, the target, and how the child attaches to the supervisor. Each platform's spec writes
/// its own fields after this part and reads them back in the same order. A field added to one of
/// these records without being added here fails the round-trip tests that fill every property.
/// </summary>
public static class LaunchSpecWire
{
    /// <summary>Far above any real spec (an environment of a few hundred KiB at most), low enough
    /// that a corrupt channel cannot make stage 2 allocate without bound.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>Member counts of the enumerations on the wire (a test holds them to the enumerations).</summary>
    internal const int FsTargetCount = 2;
    internal const int NetworkModeCount = 3;

    /// <summary>Changed whenever the layout changes: stage 2 is the same executable as the supervisor,
    /// so a mismatch means a replaced binary, and is refused rather than misread.</summary>
    private static ReadOnlySpan<byte> Header => "nono launch spec 1\n"u8;

    public static void WriteShared(SpecWriter writer, LaunchSpec spec)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(spec);
        writer.Bytes(Header);
        WritePolicy(writer, spec.Policy);
        writer.String(spec.Target.Executable);
        writer.Strings(spec.Target.Arguments);
        writer.Strings(spec.Target.Environment);
        writer.String(spec.Target.WorkingDirectory);
        writer.Int(spec.ParentPid);
        writer.Bool(spec.ControllingTerminal);
        writer.Bool(spec.Verbose);
    }

    public static SharedSpec ReadShared(ref SpecReader reader)
    {
        reader.Expect(Header);
        var policy = ReadPolicy(ref reader);
        var target = new LaunchTarget(reader.String(), ReadStrings(ref reader), ReadStrings(ref reader), reader.String());
        return new SharedSpec(policy, target, reader.Int(), reader.Bool(), reader.Bool());
    }

    private static void WritePolicy(SpecWriter writer, SandboxPolicy policy)
    {
        writer.List(policy.Grants, grant =>
        {
            writer.String(grant.Path);
            writer.Int((int)grant.Access);
            writer.Int((int)grant.Target);
        });
        writer.Strings(policy.Denies);
        writer.List(policy.ReadOnly, path =>
        {
            writer.String(path.Path);
            writer.String(path.Reason);
            writer.Bool(path.Pinned);
        });
        writer.List(policy.SessionCopies, copy =>
        {
            writer.String(copy.Path);
            writer.String(copy.CopyPath);
            writer.String(copy.Reason);
        });
        writer.Int((int)policy.Network.Mode);
        writer.Ports(policy.Network.ProxyPorts);
        writer.Ports(policy.Network.ConnectPorts);
        writer.Ports(policy.Network.BindPorts);
        writer.Bool(policy.RequireIsolation);
        writer.Bool(policy.AllowUnixSockets);
    }

    private static SandboxPolicy ReadPolicy(ref SpecReader reader)
    {
        var grants = new FsGrant[reader.Count(12)];
        for (var i = 0; i < grants.Length; i++)
        {
            grants[i] = new FsGrant(reader.String(), reader.Flags<FsAccess>((int)FsAccess.All), reader.Member<FsTarget>(FsTargetCount));
        }

        var denies = ReadStrings(ref reader);
        var readOnly = new ReadOnlyPath[reader.Count(9)];
        for (var i = 0; i < readOnly.Length; i++)
        {
            readOnly[i] = new ReadOnlyPath(reader.String(), reader.String(), reader.Bool());
        }

        var copies = new SessionCopy[reader.Count(12)];
        for (var i = 0; i < copies.Length; i++)
        {
            copies[i] = new SessionCopy(reader.String(), reader.String(), reader.String());
        }

        var network = new NetworkPolicy
        {
            Mode = reader.Member<NetworkMode>(NetworkModeCount),
            ProxyPorts = ReadPorts(ref reader),
            ConnectPorts = ReadPorts(ref reader),
            BindPorts = ReadPorts(ref reader),
        };
        return new SandboxPolicy
        {
            Grants = grants,
            Denies = denies,
            ReadOnly = readOnly,
            SessionCopies = copies,
            Network = network,
            RequireIsolation = reader.Bool(),
            AllowUnixSockets = reader.Bool(),
        };
    }

    private static string[] ReadStrings(ref SpecReader reader)
    {
        var strings = new string[reader.Count(4)];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = reader.String();
        }

        return strings;
    }

    private static ushort[] ReadPorts(ref SpecReader reader)
    {
        var ports = new ushort[reader.Count(4)];
        for (var i = 0; i < ports.Length; i++)
        {
            ports[i] = reader.Port();
        }

        return ports;
    }
}

/// <summary>The shared fields of a launch spec as read, for the platform's spec to be built from.</summary>
public readonly record struct SharedSpec(SandboxPolicy Policy, LaunchTarget Target, int ParentPid, bool ControllingTerminal, bool Verbose);
