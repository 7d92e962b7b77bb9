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

        var grants = merged.Values
            .Where(grant => !merged.Values.Any(other =>
                other.Target == FsTarget.Directory
                && other.Path != grant.Path
                && PathUtil.IsSameOrBelow(grant.Path, other.Path)
                && (other.Access & grant.Access) == grant.Access))
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
}
