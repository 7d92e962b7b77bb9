namespace Nono.Supervisor.Profiles;

/// <summary>
/// Finds profiles. A reference containing '/' or ending in .json/.jsonc is a path (relative to the
/// extending profile's directory, or to the working directory); otherwise it is a name, looked up in
/// <c>$XDG_CONFIG_HOME/nono/profiles/NAME.json[c]</c> and then among the built-ins. A user file may
/// extend the built-in of its own name: lookups from a file skip that file.
/// </summary>
internal sealed class ProfileStore(HostEnvironment host)
{
    public HostEnvironment Host { get; } = host;

    public static bool LooksLikePath(string reference) =>
        reference.Contains('/', StringComparison.Ordinal)
        || reference.EndsWith(".json", StringComparison.Ordinal)
        || reference.EndsWith(".jsonc", StringComparison.Ordinal);

    /// <summary>nono's pack references: <c>namespace/name</c>, no extension, not relative or absolute.</summary>
    private static bool LooksLikePack(string reference) =>
        reference.Count(c => c == '/') == 1
        && !reference.StartsWith('.') && !reference.StartsWith('/') && !reference.StartsWith('~')
        && !reference.EndsWith(".json", StringComparison.Ordinal) && !reference.EndsWith(".jsonc", StringComparison.Ordinal);

    /// <summary>Loads <paramref name="reference"/>; <paramref name="where"/> and <paramref name="requester"/> are set for <c>extends</c>.</summary>
    public LoadedProfile Load(string reference, SourceLocation? where = null, ProfileSource? requester = null)
    {
        string Prefix() => where is null ? string.Empty : $"{where}: ";

        if (LooksLikePath(reference))
        {
            var baseDirectory = requester?.FilePath is { } file ? Path.GetDirectoryName(file)! : Host.WorkDir;
            var expanded = reference == "~" || reference.StartsWith("~/", StringComparison.Ordinal) ? Host.Home + reference[1..] : reference;
            var path = Sandbox.PathUtil.Normalize(expanded, baseDirectory);
            if (!File.Exists(path))
            {
                throw new ProfileException(LooksLikePack(reference)
                    ? $"{Prefix()}'{reference}' names a registry pack, and packs are not supported. Inline it: save the pack's profile as a .json file and name that file instead (e.g. \"extends\": \"./{reference.Replace('/', '-')}.json\")"
                    : $"{Prefix()}profile file '{path}' does not exist");
            }

            return LoadFile(path, ProfileOrigin.File);
        }

        if (!IsValidName(reference))
        {
            throw new ProfileException($"{Prefix()}'{reference}' is not a valid profile name (letters, digits, '.', '_' and '-'); give a path with a '/' to load a file");
        }

        if (FindUserFile(reference, requester) is { } userFile)
        {
            return LoadFile(userFile, ProfileOrigin.User);
        }

        if (BuiltInProfiles.Exists(reference))
        {
            return BuiltInProfiles.Load(reference);
        }

        var available = List().Select(entry => entry.Name).Distinct().Order(StringComparer.Ordinal);
        throw new ProfileException(
            $"{Prefix()}no profile named '{reference}': not in {Host.UserProfileDirectory} and not built in. Available: {string.Join(", ", available)}");
    }

    /// <summary>Every profile that can be named: user files first, then built-ins (marked when a user file shadows them).</summary>
    public IReadOnlyList<ProfileListing> List()
    {
        var listings = new List<ProfileListing>();
        var userNames = new HashSet<string>(StringComparer.Ordinal);
        if (Directory.Exists(Host.UserProfileDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(Host.UserProfileDirectory).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                var stem = name.EndsWith(".jsonc", StringComparison.Ordinal) ? name[..^6]
                    : name.EndsWith(".json", StringComparison.Ordinal) ? name[..^5] : null;
                if (stem is not null && IsValidName(stem) && userNames.Add(stem))
                {
                    listings.Add(Describe(() => LoadFile(file, ProfileOrigin.User), new ProfileSource(stem, ProfileOrigin.User, file), shadowed: false));
                }
            }
        }

        foreach (var name in BuiltInProfiles.Names)
        {
            listings.Add(Describe(() => BuiltInProfiles.Load(name), new ProfileSource(name, ProfileOrigin.BuiltIn, null), userNames.Contains(name)));
        }

        return [.. listings.OrderBy(l => l.Name, StringComparer.Ordinal).ThenBy(l => l.Source.Origin)];
    }

    private static ProfileListing Describe(Func<LoadedProfile> load, ProfileSource source, bool shadowed)
    {
        try
        {
            var loaded = load();
            return new ProfileListing(source.Name, loaded.Source, loaded.Spec.Description ?? loaded.Spec.Meta.Description ?? string.Empty, shadowed, null);
        }
        catch (ProfileException error)
        {
            return new ProfileListing(source.Name, source, string.Empty, shadowed, error.Message);
        }
    }

    private string? FindUserFile(string name, ProfileSource? requester)
    {
        var candidates = new[] { ".json", ".jsonc" }
            .Select(extension => Path.Join(Host.UserProfileDirectory, name + extension))
            .Where(File.Exists)
            .Where(path => path != requester?.FilePath)
            .ToList();
        return candidates.Count switch
        {
            0 => null,
            1 => candidates[0],
            _ => throw new ProfileException($"both {candidates[0]} and {candidates[1]} exist; remove one so that '{name}' is unambiguous"),
        };
    }

    private static LoadedProfile LoadFile(string path, ProfileOrigin origin)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ProfileException($"{path}: cannot read the profile: {error.Message}", error);
        }

        var name = Path.GetFileName(path);
        name = name.EndsWith(".jsonc", StringComparison.Ordinal) ? name[..^6] : name.EndsWith(".json", StringComparison.Ordinal) ? name[..^5] : name;
        return new LoadedProfile(new ProfileSource(name, origin, path), ProfileParser.Parse(bytes, path));
    }

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 100
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}

/// <summary>One row of <c>nono profile list</c>. <see cref="Error"/> is set when the file does not parse.</summary>
internal sealed record ProfileListing(string Name, ProfileSource Source, string Description, bool Shadowed, string? Error);
