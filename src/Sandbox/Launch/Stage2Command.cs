namespace Nono.Sandbox;

/// <summary>
/// The hidden command line of the stage-2 trampoline, `nono __sandbox-exec &lt;fd&gt;`, the same on
/// every platform: the launchers put it on the child's command line and the executable answers to it.
/// </summary>
public static class Stage2Command
{
    /// <summary>The command name; spelled here only.</summary>
    public const string Name = "__sandbox-exec";

    /// <summary>The descriptor the supervised launchers place the launch spec on (0..2 are stdio).</summary>
    public const int SpecDescriptor = 3;

    /// <summary>The command line after the program (and any arguments it needs first): name and descriptor.</summary>
    public static IEnumerable<string> Arguments(int descriptor) =>
        [Name, descriptor.ToString(System.Globalization.CultureInfo.InvariantCulture)];
}
