using Nono.Sandbox;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Session;

namespace Nono.Supervisor.Control;

/// <summary>
/// `nono why PATH`: the sandbox policy a session would enforce, composed as the launch composes it
/// (the resolver's grants and denies for the profile, nono's system grants, the sensitive paths
/// masked, planted-command files kept read-only), and the answer for one path: which grant gives
/// which access, or what refuses it. The path is resolved first, as the kernel checks the file a
/// path leads to.
/// </summary>
internal static class PathExplanation
{
    public static (bool Allowed, string Reason) For(string path, SessionSettings settings, HostEnvironment host, string profileName)
    {
        var full = RealPath.Resolve(Path.GetFullPath(path, host.WorkDir)) ?? Path.GetFullPath(path, host.WorkDir);
        var homes = host.SensitiveHomes();
        IReadOnlyList<FsGrant> system = OperatingSystem.IsLinux() ? Sandbox.Linux.Policy.LinuxSystemPolicy.BaseGrants(host.TmpDir) : [];
        // The proxy's port only matters to the network rules; the launch's default stands in for it.
        IReadOnlyList<ushort> ports = settings.NetworkMode == NetworkMode.Proxy ? [SessionRequest.DefaultProxyPort] : [];
        var policy = SessionPolicy.KeepPlantedCommandsReadOnly(SessionPolicy.Compose(settings.CreateSandboxPolicy(ports), system, homes), homes);

        if (policy.Denies.Where(deny => PathUtil.IsSameOrBelow(full, deny)).MaxBy(deny => deny.Length) is { } denied)
        {
            var sensitive = homes.Denies(policy.Grants).Contains(denied) ? "a sensitive path nono never grants" : $"a deny of profile {profileName} (or its extends)";
            return (false, $"{full}: refused: {denied} is {sensitive}, masked even inside a granted directory");
        }

        var covering = policy.Grants
            .Where(grant => grant.Target == FsTarget.Directory ? PathUtil.IsSameOrBelow(full, grant.Path) : grant.Path == full)
            .OrderByDescending(grant => grant.Path.Length)
            .FirstOrDefault();
        if (covering is null)
        {
            var directory = Directory.Exists(full) ? full : Path.GetDirectoryName(full) ?? full;
            return (false, $"{full}: refused: no grant covers it; grant it with --read {directory} (or --allow {directory} for read-write), or filesystem.read in a profile");
        }

        var source = system.Any(grant => grant.Path == covering.Path) ? "nono's system grants" : $"profile {profileName} (with its extends and the flags)";
        var readOnly = policy.ReadOnly.FirstOrDefault(entry => PathUtil.IsSameOrBelow(full, entry.Path));
        var access = Describe(readOnly is null ? covering.Access : covering.Access & ~FsAccess.Write);
        var kind = covering.Target == FsTarget.Directory ? "directory" : "file";
        var note = readOnly is null ? string.Empty : $"; kept read-only: {readOnly}";
        return (true, $"{full}: allowed ({access}) by the {kind} grant {covering.Path} from {source}{note}");
    }

    private static string Describe(FsAccess access) => string.Join('+', new[]
    {
        access.HasFlag(FsAccess.Read) ? "read" : null,
        access.HasFlag(FsAccess.Write) ? "write" : null,
        access.HasFlag(FsAccess.Execute) ? "execute" : null,
    }.OfType<string>()) is { Length: > 0 } text ? text : "no access";
}
