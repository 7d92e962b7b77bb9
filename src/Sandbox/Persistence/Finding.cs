namespace Nono.Sandbox.Persistence;

public enum FindingKind
{
    /// <summary>An executable-by-name file in a hooks directory.</summary>
    Hook,

    /// <summary>A command-running variable in a repository's configuration.</summary>
    Setting,

    /// <summary>A configuration file git would read but nono cannot parse the way git does.</summary>
    UnreadableConfig,

    /// <summary>A watched path (absent at the start) that now exists.</summary>
    Appeared,
}

/// <summary>Something in a writable grant that git or the user's session would run later.</summary>
/// <param name="Path">The file: the hook, the configuration file holding the setting, the path that appeared.</param>
/// <param name="Name">The hook's name, the variable's name (section.subsection.key), or empty.</param>
/// <param name="Detail">A content hash for a hook, the value for a setting; compared to tell what is new.</param>
public sealed record Finding(FindingKind Kind, string Path, string Name, string Detail, string Reason)
{
    /// <summary>What it is, for the report (control characters replaced: names and values come from the program).</summary>
    public string Describe() => Kind switch
    {
        FindingKind.Hook => $"hook {Printable.Of(Path)}",
        FindingKind.Setting => $"{Printable.Of(Name)} = {Printable.Of(Detail, 120)} in {Printable.Of(Path)} ({Reason})",
        FindingKind.UnreadableConfig => $"configuration nono cannot read as git does: {Printable.Of(Path)} ({Reason})",
        _ => $"{Printable.Of(Path)} was created ({Reason})",
    };
}

/// <summary>Text from the sandboxed program made safe to print on a terminal.</summary>
public static class Printable
{
    public static string Of(string text, int max = 400)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chars = text.Take(max).Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u202e' or '\u202d' ? '?' : c);
        return string.Concat(chars) + (text.Length > max ? "..." : string.Empty);
    }
}
