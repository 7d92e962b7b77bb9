using System.Globalization;
using System.Runtime.Versioning;
using Nono.Proxy;
using Nono.Sandbox.Linux;
using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Policy;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Session;

/// <summary>
/// `--dry-run` of a supervised session: the resolved sandbox and a summary of the proxy it would
/// start. Nothing is started and no credential is loaded, so no secret can appear: routes show where
/// their credential would come from only by scheme and name (env://NAME, file://PATH).
/// </summary>
[SupportedOSPlatform("linux")]
internal static class DryRun
{
    public static int Print(SessionRequest request, SessionSettings settings, LinuxHost linux, ProxyConfig? proxy, string executable, string temp, string home)
    {
        IReadOnlyList<ushort> ports = proxy is null ? [] : [(ushort)(proxy.BindPort == 0 ? SessionRunner.DefaultProxyPort : proxy.BindPort)];
        var policy = SessionPolicy.Compose(settings.CreateSandboxPolicy(ports, []), LinuxSystemPolicy.BaseGrants(temp, request.Terminal ? [] : null), home);
        var plan = LinuxLaunchPlan.Create(policy, linux);
        var output = Console.Out;
        output.WriteLine($"profile: {settings.Profile.Name} ({string.Join(" <- ", settings.Profile.Layers.Select(layer => layer.Name))})");
        output.WriteLine($"command: {executable} {string.Join(' ', request.Command.Skip(1))}".TrimEnd());
        output.WriteLine($"working directory: {request.WorkingDirectory}");
        foreach (var line in plan.Describe())
        {
            output.WriteLine(line);
        }

        output.WriteLine("temporary directory: a new 0700 directory per session (TMPDIR), removed when the session ends");
        foreach (var skipped in settings.SkippedPaths)
        {
            output.WriteLine($"skipped: {skipped}");
        }

        foreach (var warning in plan.Warnings)
        {
            output.WriteLine($"warning: {warning}");
        }

        if (proxy is null)
        {
            output.WriteLine($"proxy: none (network mode {settings.NetworkMode.ToString().ToLowerInvariant()})");
            return 0;
        }

        var where = proxy.BindOwnListener
            ? "127.0.0.1 on the host (no network namespace), port chosen at start"
            : $"127.0.0.1:{proxy.BindPort.ToString(CultureInfo.InvariantCulture)} inside the program's network namespace";
        output.WriteLine($"proxy: {where}; session token generated at start");
        output.WriteLine(settings.Proxy.AllowAllHosts
            ? "proxy allows: every host (except metadata and link-local addresses)"
            : settings.Proxy.AllowedHosts.Count == 0
                ? "proxy allows: no host"
                : $"proxy allows: {string.Join(", ", settings.Proxy.AllowedHosts)}");
        foreach (var route in proxy.Routes)
        {
            output.WriteLine($"route: {route.Prefix} -> {route.Upstream}  inject {route.InjectMode.ToString().ToLowerInvariant()}  credential {CredentialSource(route.CredentialKey)}  env {route.EnvVar ?? "-"}");
        }

        if (proxy.ExternalProxy is { } upstream)
        {
            output.WriteLine($"upstream proxy: {upstream.Address}; bypass: {(upstream.BypassHosts.Count == 0 ? "none" : string.Join(", ", upstream.BypassHosts))}");
        }

        output.WriteLine(proxy.TlsIntercept is { } tls
            ? $"tls interception: on ({(tls.InterceptAll ? "every host" : "credential routes")}, CA valid {tls.CaValidityDays.ToString(CultureInfo.InvariantCulture)} day(s))"
            : "tls interception: off");
        if (request.AuditLog is { } log)
        {
            output.WriteLine($"audit log: {log}");
        }

        return 0;
    }

    /// <summary>Where a credential comes from, without anything that could be the secret itself.</summary>
    private static string CredentialSource(string? key)
    {
        if (key is null)
        {
            return "none";
        }

        var scheme = key.IndexOf("://", StringComparison.Ordinal) is var at and > 0 ? key[..at] : "keyring";
        return scheme is "env" or "file" ? key : scheme + "://…";
    }
}
