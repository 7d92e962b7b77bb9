namespace Nono.Sandbox.Persistence;

/// <summary>
/// One variable of a git configuration file, named the way git names it: section and key
/// lower-cased, a quoted subsection as written, an old-style <c>[section.sub]</c> subsection
/// lower-cased; a variable before any section has an empty section, as in git. <see cref="Value"/> is null for a bare key (git's boolean true).
/// </summary>
/// <param name="LineStart">Offset of the start of the line the key is on.</param>
/// <param name="KeyStart">Offset of the key itself (after any section header on the same line).</param>
/// <param name="End">Offset just past the newline that ends the value (continuation lines included).</param>
public sealed record GitConfigEntry(
    string Section,
    string? Subsection,
    string Key,
    string? Value,
    int Line,
    int LineStart,
    int KeyStart,
    int End)
{
    /// <summary>section.subsection.key, as <c>git config --list</c> prints it.</summary>
    public string Name => Subsection is not null ? $"{Section}.{Subsection}.{Key}" : Section.Length > 0 ? $"{Section}.{Key}" : Key;
}

/// <summary>A configuration file git itself would refuse to read, or nono cannot read the way git does.</summary>
public sealed class GitConfigFormatException(string message) : Exception(message);
