using Nono.Sandbox;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Session;

/// <summary>
/// Puts the platform's system grants (<c>LinuxSystemPolicy.BaseGrants</c>: /etc entry by entry, the
/// session's own terminal, the session's temp directory) together with the profile's grants, without
/// doubles: grants on the same path are merged, and a grant that a directory grant above it already
/// covers is dropped. The sensitive paths of <see cref="SensitiveHomes"/> are added as denies, so
/// that a grant covering them (<c>--read ~</c>) has them masked.
/// </summary>
internal static class SessionPolicy
{
    public static SandboxPolicy Compose(SandboxPolicy profile, IReadOnlyList<FsGrant> systemGrants, SensitiveHomes homes)
    {
        var merged = new Dictionary<(string, FsTarget), FsGrant>();
        foreach (var grant in systemGrants.Concat(profile.Grants))
        {
            var key = (grant.Path, grant.Target);
            merged[key] = merged.TryGetValue(key, out var existing) ? existing with { Access = existing.Access | grant.Access } : grant;
        }

        // /etc alone is hundreds of grants: look up each grant's ancestors rather than compare every pair.
        var directories = merged.Values.Where(grant => grant.Target == FsTarget.Directory)
            .ToDictionary(grant => grant.Path, grant => grant.Access, StringComparer.Ordinal);
        var grants = merged.Values
            .Where(grant => !CoveredByAncestor(grant, directories))
            .OrderBy(grant => grant.Path, StringComparer.Ordinal)
            .ToArray();

        var sensitive = homes.Denies(grants);
        var policy = profile with
        {
            Grants = grants,
            Denies = [.. profile.Denies.Concat(sensitive).Distinct(StringComparer.Ordinal)],
        };
        policy.Validate();
        return policy;
    }

    /// <summary>Adds the files of <see cref="PlantedCommandPaths"/> that the grants would let the
    /// program change, to be kept read-only (Linux: read-only bind mounts in its mount namespace).</summary>
    public static SandboxPolicy KeepPlantedCommandsReadOnly(SandboxPolicy policy, SensitiveHomes homes)
    {
        var readOnly = PlantedCommandPaths.InsideWritableGrants(homes.Own, policy.Grants);
        return readOnly.Count == 0 ? policy : policy with { ReadOnly = [.. policy.ReadOnly, .. readOnly] };
    }

    /// <summary>True when a directory grant strictly above <paramref name="grant"/> already gives all of its access.</summary>
    private static bool CoveredByAncestor(FsGrant grant, Dictionary<string, FsAccess> directories)
    {
        for (var parent = Path.GetDirectoryName(grant.Path); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (directories.TryGetValue(parent, out var access) && (access & grant.Access) == grant.Access)
            {
                return true;
            }
        }

        return false;
    }
}
