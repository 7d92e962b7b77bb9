namespace Nono.Supervisor.Profiles;

internal enum ProfileOrigin
{
    /// <summary>Embedded in the nono binary.</summary>
    BuiltIn,

    /// <summary>Found by name in <c>$XDG_CONFIG_HOME/nono/profiles</c>.</summary>
    User,

    /// <summary>Given as a path.</summary>
    File,
}

/// <summary>Where a profile was loaded from.</summary>
internal sealed record ProfileSource(string Name, ProfileOrigin Origin, string? FilePath)
{
    /// <summary>Two sources with the same identity are the same profile (cycle detection, de-duplication).</summary>
    public string Identity => FilePath ?? $"built-in:{Name}";

    /// <summary>The origin used in error locations.</summary>
    public string ErrorOrigin => FilePath ?? $"built-in:{Name}.jsonc";

    public string Describe => Origin switch
    {
        ProfileOrigin.BuiltIn => "built-in",
        ProfileOrigin.User => $"user ({FilePath})",
        _ => $"file ({FilePath})",
    };

    public override string ToString() => Origin == ProfileOrigin.BuiltIn ? Name : $"{Name} ({FilePath})";
}

/// <summary>A profile file as parsed, before its <c>extends</c> are followed.</summary>
internal sealed record LoadedProfile(ProfileSource Source, ProfileSpec Spec);
