namespace Nono.Sandbox.MacOS.Profile;

/// <summary>
/// Every way the kernel may name a policy path: as given, through the fixed macOS root links
/// (<c>/tmp</c>, <c>/var</c>, <c>/etc</c> point into <c>/private</c>), and with its symbolic links
/// resolved. Writing all of them keeps a rule effective whichever spelling a program uses, and the
/// fixed links are applied even when the resolver cannot see them (generation on another system).
/// </summary>
internal sealed class PathSpellings(IPathResolver resolver)
{
    private static readonly string[] PrivateRoots = ["/tmp", "/var", "/etc"];

    public IReadOnlyList<string> For(string path)
    {
        var given = PathUtil.Normalize(path, "/");
        var resolved = PathUtil.Normalize(resolver.Resolve(given), "/");
        return new[] { given, ThroughPrivate(given), resolved, ThroughPrivate(resolved) }
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>All proper ancestors of <paramref name="path"/>, outermost first, without "/".</summary>
    public static IEnumerable<string> Ancestors(string path)
    {
        for (var end = path.IndexOf('/', 1); end > 0; end = path.IndexOf('/', end + 1))
        {
            yield return path[..end];
        }
    }

    /// <summary>Same-or-below, ignoring letter case as the default macOS volume does.</summary>
    public static bool IsSameOrBelowAnyCase(string path, string ancestor) =>
        PathUtil.IsSameOrBelow(path.ToLowerInvariant(), ancestor.ToLowerInvariant());

    private static string ThroughPrivate(string path)
    {
        foreach (var root in PrivateRoots)
        {
            if (PathUtil.IsSameOrBelow(path, root))
            {
                return "/private" + path;
            }
        }

        return path;
    }
}
