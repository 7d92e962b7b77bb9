using Nono.Proxy;
using Nono.Sandbox;

namespace Nono.Supervisor.Profiles;

internal static partial class SessionResolver
{
    /// <summary>
    /// The files only the proxy reads: a route's mTLS private key, and the API key of a route whose
    /// credential is a <c>file://</c> reference (its fallbacks too). A directory grant that covers one
    /// gets it masked in the sandbox (as a deny), or the program would read the real key the proxy
    /// injects for it; a grant of the file itself, or of something inside it, is a contradiction and
    /// refused where the file was named.
    /// </summary>
    private static List<string> ClientKeyDenies(FilesystemPlan filesystem, IReadOnlyList<RouteConfig> routes, NetworkSpec network)
    {
        var denies = new List<string>();
        foreach (var (route, file, what) in ProxyOnlyFiles(routes))
        {
            if (RealPath.Resolve(file) is not { } key)
            {
                // Missing: the proxy refuses to start (or the route's credential does not load) and names the file.
                continue;
            }

            if (filesystem.Grants.FirstOrDefault(grant => PathUtil.IsSameOrBelow(grant.Path, key)) is { } exact)
            {
                var spec = network.CustomCredentials.FirstOrDefault(spec => "/" + spec.Name == route.Prefix);
                var where = what == "client key" ? spec?.TlsClientKey?.Where : spec?.Where;
                var message = $"the {what} of route '{route.Prefix}' ({key}) is granted to the sandbox ({exact}); the program must not read it. Remove that grant or move the file";
                throw where is null ? new ProfileException(message) : ProfileException.At(where, message);
            }

            if (filesystem.Grants.Any(grant => grant.Target == FsTarget.Directory && PathUtil.IsSameOrBelow(key, grant.Path)))
            {
                denies.Add(key);
            }
        }

        return denies;
    }

    private static IEnumerable<(RouteConfig Route, string File, string What)> ProxyOnlyFiles(IReadOnlyList<RouteConfig> routes)
    {
        foreach (var route in routes)
        {
            if (route.ClientKeyPath is { } clientKey)
            {
                yield return (route, clientKey, "client key");
            }

            IEnumerable<string?> references = [route.CredentialKey, .. route.FallbackCredentialKeys];
            foreach (var reference in references)
            {
                if (reference is not null && RouteFieldRules.CredentialFile(reference) is { } file)
                {
                    yield return (route, file, "credential file");
                }
            }
        }
    }
}
