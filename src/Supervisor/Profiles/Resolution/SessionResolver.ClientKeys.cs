using Nono.Proxy;
using Nono.Sandbox;

namespace Nono.Supervisor.Profiles;

internal static partial class SessionResolver
{
    /// <summary>
    /// A route's mTLS private key is for the proxy alone. A directory grant that covers it gets the key
    /// masked in the sandbox (as a deny); a grant of the key itself, or of something inside it, is a
    /// contradiction and refused where the key was written.
    /// </summary>
    private static List<string> ClientKeyDenies(FilesystemPlan filesystem, IReadOnlyList<RouteConfig> routes, NetworkSpec network)
    {
        var denies = new List<string>();
        foreach (var route in routes.Where(route => route.ClientKeyPath is not null))
        {
            if (RealPath.Resolve(route.ClientKeyPath!) is not { } key)
            {
                // Missing: the proxy refuses to start and names the file.
                continue;
            }

            if (filesystem.Grants.FirstOrDefault(grant => PathUtil.IsSameOrBelow(grant.Path, key)) is { } exact)
            {
                var where = network.CustomCredentials.FirstOrDefault(spec => "/" + spec.Name == route.Prefix)?.TlsClientKey?.Where;
                var message = $"the client key of route '{route.Prefix}' ({key}) is granted to the sandbox ({exact}); the program must not read it. Remove that grant or move the key";
                throw where is null ? new ProfileException(message) : ProfileException.At(where, message);
            }

            if (filesystem.Grants.Any(grant => grant.Target == FsTarget.Directory && PathUtil.IsSameOrBelow(key, grant.Path)))
            {
                denies.Add(key);
            }
        }

        return denies;
    }
}
