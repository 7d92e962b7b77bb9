using Nono.Sandbox;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// The home directories whose credentials and histories (<see cref="SensitivePaths"/>) nono keeps
/// from the program, for `wrap`, `run` and `shell` alike: the caller's own homes ($HOME and the
/// password database's home of the account, which differ when $HOME is changed or unset), and the
/// home of every other account that lies inside a granted directory. Each home counts under the
/// spelling it was given and its resolved one, because grants are compared on resolved paths.
/// </summary>
internal sealed class SensitiveHomes
{
    private readonly string[] _own;
    private readonly string[] _others;
    private readonly HashSet<string> _resolved;

    /// <summary>Every known home and the sensitive names below a home, for <see cref="Covers"/>: the
    /// resolver asks it of each grant, toolchain directory and executable on every launch, and a
    /// lookup per ancestor of the path costs far less than comparing it with each home's list.</summary>
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _homes;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _underHome;

    private SensitiveHomes(string[] own, string[] others, HashSet<string> resolved)
    {
        _own = own;
        _others = others;
        _resolved = resolved;
        _homes = own.Concat(others).ToHashSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _underHome = SensitivePaths.UnderHome.ToHashSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The caller's own homes, both spellings: where write access is refused as well.</summary>
    public IReadOnlyList<string> Own => _own;

    /// <param name="home">$HOME, absolute and normalised.</param>
    /// <param name="accounts">The password database's view of homes.</param>
    public static SensitiveHomes For(string home, UserAccounts accounts)
    {
        var given = new[] { home, accounts.OwnHome }.OfType<string>().ToArray();
        var canonical = given.Concat(accounts.AllHomes).Distinct(StringComparer.Ordinal)
            .ToDictionary(path => path, PathCanonicalizer.Canonicalize, StringComparer.Ordinal);
        var own = given.SelectMany(path => new[] { path, canonical[path] }).Distinct(StringComparer.Ordinal).ToArray();
        var others = accounts.AllHomes.SelectMany(path => new[] { path, canonical[path] })
            .Distinct(StringComparer.Ordinal).Except(own, StringComparer.Ordinal).ToArray();
        var resolved = canonical.Values.ToHashSet(StringComparer.Ordinal);
        return new SensitiveHomes(own, others, resolved);
    }

    /// <summary>True when <paramref name="path"/> is, or lies inside, a sensitive path of any known
    /// home: such a path is never granted, whoever's home it is.</summary>
    public bool Covers(string path)
    {
        // The same answer as SensitivePaths.Covers for each home: some home, then a '/', then a
        // sensitive name or a part of the path before a further '/' that is one.
        var span = path.AsSpan();
        if (span.StartsWith('/') && _homes.Contains("/") && IsSensitiveBelowHome(span[1..]))
        {
            return true; // accounts whose home is the root directory
        }

        for (var i = 1; i < span.Length; i++)
        {
            if (span[i] == '/' && _homes.Contains(span[..i]) && IsSensitiveBelowHome(span[(i + 1)..]))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsSensitiveBelowHome(ReadOnlySpan<char> relative)
    {
        if (_underHome.Contains(relative))
        {
            return true;
        }

        for (var i = 1; i < relative.Length; i++)
        {
            if (relative[i] == '/' && _underHome.Contains(relative[..i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The sensitive paths to deny under <paramref name="grants"/>: those of the caller's
    /// own homes always (the platform masks the ones a grant covers, and refuses a writable grant
    /// that would let the program create a missing one), and the existing ones of every other home
    /// that lies inside a directory grant. Each under its written and its resolved spelling.</summary>
    /// <remarks>Another account's missing paths are not denied: a program that may write into that
    /// home can plant its start-up files anyway, so refusing every writable grant above a system
    /// account's home (/var above /var/cache/man) would cost much and protect nothing; what must not
    /// happen is reading the credentials that account already has.</remarks>
    public IReadOnlyList<string> Denies(IEnumerable<FsGrant> grants)
    {
        var directories = grants.Where(grant => grant.Target == FsTarget.Directory).Select(grant => grant.Path).ToArray();
        var covered = _others.Where(home => directories.Any(directory => PathUtil.IsSameOrBelow(home, directory))).ToHashSet(StringComparer.Ordinal);
        var denies = new List<string>();
        foreach (var home in _own.Concat(covered))
        {
            foreach (var relative in SensitivePaths.UnderHome)
            {
                var path = Path.Join(home, relative);
                if (covered.Contains(home) && !Exists(path))
                {
                    continue;
                }

                denies.Add(path);
                if (_resolved.Contains(home))
                {
                    denies.Add(ResolveBelow(home, relative));
                }
            }
        }

        return [.. denies.Distinct(StringComparer.Ordinal)];
    }

    private static bool Exists(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;

    /// <summary>The resolved spelling of <paramref name="relative"/> below a home that is already
    /// resolved: only a link inside the home can change it, and where its first component does not
    /// exist there is none (most homes lack most of these paths, and this runs on every launch).</summary>
    private static string ResolveBelow(string resolvedHome, string relative)
    {
        var path = Path.Join(resolvedHome, relative);
        var first = Path.Join(resolvedHome, relative.Split('/')[0]);
        return Path.Exists(first) || new FileInfo(first).LinkTarget is not null ? PathCanonicalizer.Canonicalize(path) : path;
    }
}
