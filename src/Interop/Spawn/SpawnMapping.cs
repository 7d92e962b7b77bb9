using Nono.Sandbox;

namespace Nono.Interop;

/// <summary>Checks the descriptor plan of a spawn before posix_spawn sees it (pure, so testable anywhere).</summary>
internal static class SpawnMapping
{
    /// <summary>The file actions run in order in the child, so a source must not be a descriptor an
    /// earlier action has already replaced. The launchers' sources are their own descriptors (copied
    /// above the standard ones, or inherited as themselves), so this holds; checked, not assumed.</summary>
    public static void Check(IReadOnlyList<(int Source, int Target)> mapping)
    {
        var replaced = new HashSet<int>();
        foreach (var (source, target) in mapping)
        {
            if (source < 0 || target < 0)
            {
                throw new SandboxSetupException("posix_spawn file actions", $"descriptor {source} -> {target} is negative");
            }

            if (replaced.Contains(source))
            {
                throw new SandboxSetupException("posix_spawn file actions", $"descriptor {source} is replaced before it is copied to {target}");
            }

            replaced.Add(target);
        }
    }
}
