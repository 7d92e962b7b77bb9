namespace Nono.Sandbox.MacOS.Profile;

/// <summary>A policy path with every spelling the kernel may use for it.</summary>
internal sealed record SpelledPath(string Path, IReadOnlyList<string> Spellings);

/// <summary>A grant with its spellings.</summary>
internal sealed record SpelledGrant(FsGrant Grant, IReadOnlyList<string> Spellings);

/// <summary>
/// The filesystem half of a profile, decided before any text is written: grants and denies with
/// their spellings, whether the keychain is granted, and the contradictions that are refused.
/// </summary>
internal sealed class FilesystemPlan
{
    /// <summary>Under the home directory; granting any path in it is how a policy grants the keychain.</summary>
    public const string KeychainDirectory = "Library/Keychains";

    private FilesystemPlan(IReadOnlyList<SpelledGrant> grants, IReadOnlyList<SpelledPath> denies, bool keychainGranted)
    {
        Grants = grants;
        Denies = denies;
        KeychainGranted = keychainGranted;
    }

    public IReadOnlyList<SpelledGrant> Grants { get; }

    /// <summary>The policy's denies, the sensitive paths under home, and the keychain unless granted.</summary>
    public IReadOnlyList<SpelledPath> Denies { get; }

    public bool KeychainGranted { get; }

    public static FilesystemPlan Create(SandboxPolicy policy, SeatbeltContext context)
    {
        if (string.IsNullOrEmpty(context.Home) || !Path.IsPathFullyQualified(context.Home))
        {
            throw new PolicyException($"The home directory '{Sbpl.Printable(context.Home ?? string.Empty)}' is not an absolute path.");
        }

        var spellings = new PathSpellings(context.Resolver);
        var home = PathUtil.Normalize(context.Home, "/");
        var grants = policy.Grants
            .Select(grant => new SpelledGrant(grant, spellings.For(grant.Path)))
            .ToList();

        var keychain = spellings.For(Path.Join(home, KeychainDirectory));
        var keychainGranted = grants.Any(grant => Covers(keychain, grant.Spellings));

        var deniedPaths = policy.Denies.Concat(SensitivePaths.For(home));
        if (!keychainGranted)
        {
            deniedPaths = deniedPaths.Append(Path.Join(home, KeychainDirectory));
        }

        var denies = deniedPaths
            .Select(path => PathUtil.Normalize(path, "/"))
            .Distinct(StringComparer.Ordinal)
            .Select(path => new SpelledPath(path, spellings.For(path)))
            .ToList();

        foreach (var grant in grants)
        {
            foreach (var deny in denies)
            {
                if (Covers(deny.Spellings, grant.Spellings))
                {
                    throw new PolicyException(
                        $"The grant for '{Sbpl.Printable(grant.Grant.Path)}' lies inside '{Sbpl.Printable(deny.Path)}', which is denied (it holds credentials or the policy denies it). Remove the grant or the deny.");
                }
            }
        }

        return new FilesystemPlan(grants, denies, keychainGranted);
    }

    /// <summary>True when any spelling of a path lies at or below any spelling of an ancestor.</summary>
    private static bool Covers(IReadOnlyList<string> ancestor, IReadOnlyList<string> path) =>
        path.Any(p => ancestor.Any(a => PathSpellings.IsSameOrBelowAnyCase(p, a)));
}
