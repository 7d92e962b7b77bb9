namespace Nono.Sandbox.MacOS.Launch;

/// <summary>
/// The macOS stage 2's launch spec, sent by the supervisor in its binary form
/// (<see cref="LaunchSpecWire"/>) through a pipe on the child's descriptor 3: the shared <see cref="LaunchSpec"/> (stage 2 generates the Seatbelt profile from
/// its policy) and the home directory whose credentials the profile protects.
/// </summary>
internal sealed record MacOSLaunchSpec : LaunchSpec
{
    public required string Home { get; init; }

    public byte[] Encode()
    {
        var writer = new SpecWriter();
        LaunchSpecWire.WriteShared(writer, this);
        writer.String(Home);
        return writer.ToArray();
    }

    /// <exception cref="SandboxSetupException">The payload is not a whole spec of this build.</exception>
    public static MacOSLaunchSpec Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new SpecReader(payload);
        var shared = LaunchSpecWire.ReadShared(ref reader);
        var spec = new MacOSLaunchSpec
        {
            Policy = shared.Policy,
            Target = shared.Target,
            ParentPid = shared.ParentPid,
            ControllingTerminal = shared.ControllingTerminal,
            Verbose = shared.Verbose,
            Home = reader.String(),
        };
        reader.End();
        return spec;
    }
}
