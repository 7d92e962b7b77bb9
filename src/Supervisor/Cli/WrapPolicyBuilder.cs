using Nono.Sandbox;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Cli;

/// <summary>
/// Turns `nono wrap` flags into a <see cref="SandboxPolicy"/>: the system base grants, the
/// user's grants (each path must exist), the sensitive paths of the homes in
/// <see cref="SensitiveHomes"/> as denies (masked wherever a grant covers them), and the network
/// mode (blocked unless --allow-net).
/// </summary>
internal static class WrapPolicyBuilder
{
    public static SandboxPolicy Build(WrapOptions options, IReadOnlyList<FsGrant> baseGrants, string workingDirectory, SensitiveHomes homes)
    {
        if (options.BlockNet && options.AllowNet)
        {
            throw new PolicyException("--block-net and --allow-net contradict each other; give one of them.");
        }

        var grants = new List<FsGrant>(baseGrants);
        AddGrants(grants, options.Read, FsAccess.ReadExecute, "--read", workingDirectory, fileFlag: false);
        AddGrants(grants, options.Write, FsAccess.Write, "--write", workingDirectory, fileFlag: false);
        AddGrants(grants, options.Allow, FsAccess.All, "--allow", workingDirectory, fileFlag: false);
        AddGrants(grants, options.ReadFile, FsAccess.ReadExecute, "--read-file", workingDirectory, fileFlag: true);
        AddGrants(grants, options.WriteFile, FsAccess.Write, "--write-file", workingDirectory, fileFlag: true);
        if (options.AllowCwd)
        {
            grants.Add(FsGrant.Directory(PathCanonicalizer.Canonicalize(workingDirectory), FsAccess.All));
        }

        foreach (var grant in grants.Skip(baseGrants.Count))
        {
            if (homes.Covers(grant.Path))
            {
                throw new PolicyException(
                    $"'{grant.Path}' holds credentials or history and is never granted; nono hides it even inside a granted directory.");
            }
        }

        var denies = homes.Denies(grants).ToList();
        foreach (var deny in options.Deny)
        {
            var path = PathUtil.Normalize(deny, workingDirectory);
            if (!Path.Exists(path))
            {
                throw new PolicyException($"--deny {deny}: '{path}' does not exist.");
            }

            denies.Add(PathCanonicalizer.Canonicalize(path));
        }

        var policy = new SandboxPolicy
        {
            Grants = grants,
            Denies = denies.Distinct(StringComparer.Ordinal).ToArray(),
            Network = options.AllowNet ? NetworkPolicy.Host : NetworkPolicy.Blocked,
            RequireIsolation = options.RequireIsolation,
            AllowUnixSockets = options.AllowUnixSockets,
        };
        policy.Validate();
        return policy;
    }

    private static void AddGrants(List<FsGrant> grants, IReadOnlyList<string> paths, FsAccess access, string flag, string workingDirectory, bool fileFlag)
    {
        foreach (var given in paths)
        {
            var path = PathUtil.Normalize(given, workingDirectory);
            var isDirectory = Directory.Exists(path);
            if (!isDirectory && !File.Exists(path))
            {
                throw new PolicyException($"{flag} {given}: '{path}' does not exist.");
            }

            if (fileFlag && isDirectory)
            {
                var directoryFlag = flag.Replace("-file", string.Empty, StringComparison.Ordinal);
                throw new PolicyException($"{flag} {given}: '{path}' is a directory; use {directoryFlag} for directories.");
            }

            // A directory flag naming a file grants that one file. Grants are kept resolved so that
            // denies (also resolved) can be compared with them.
            var resolved = PathCanonicalizer.Canonicalize(path);
            grants.Add(isDirectory ? FsGrant.Directory(resolved, access) : FsGrant.File(resolved, access));
        }
    }
}
