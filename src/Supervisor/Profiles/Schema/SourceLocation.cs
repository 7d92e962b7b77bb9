namespace Nono.Supervisor.Profiles;

/// <summary>
/// Where a setting came from, so that every error can point at it: a profile file with a 1-based
/// line and column, or a command-line flag (line 0).
/// </summary>
internal sealed record SourceLocation(string Origin, int Line, int Column)
{
    public static SourceLocation Flag(string flag) => new($"command line ({flag})", 0, 0);

    public override string ToString() => Line > 0 ? $"{Origin}:{Line}:{Column}" : Origin;
}

/// <summary>A value together with the place it was written.</summary>
internal sealed record Located<T>(T Value, SourceLocation Where);
