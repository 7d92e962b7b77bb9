using System.Runtime.InteropServices;
using System.Threading.Channels;
using Nono.Proxy;
using Nono.Proxy.Admin;
using Nono.Proxy.Tls;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Cli;

/// <summary>
/// `nono proxy` once its configuration is resolved: starts the admin endpoint (not ready yet) and the proxy,
/// prints the banner, streams the audit events, reloads on SIGHUP and drains on SIGINT or SIGTERM.
/// </summary>
internal static class ProxyServe
{
    private enum Signal
    {
        Stop,
        Reload,
    }

    public static async Task<int> RunAsync(
        ProxyCommandOptions options, ProxyConfig config, IReadOnlyList<string> notices, Func<(ProxyConfig Config, IReadOnlyList<string> Notices)> configure)
    {
        var signals = Channel.CreateUnbounded<Signal>();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Post(c, Signal.Stop));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Post(c, Signal.Stop));
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => Post(c, Signal.Reload));

        AdminServer? admin = null;
        ProxyHandle handle;
        try
        {
            // The admin endpoint first: while routes load it answers /healthz, and /readyz says "starting".
            if (options.AdminListen is { } endpoint)
                admin = AdminServer.Start(endpoint.Address, endpoint.Port);
            handle = await ProxyServer.StartAsync(config).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProxyConfigException or TlsConfigurationException)
        {
            await DisposeAsync(admin).ConfigureAwait(false);
            return ProxyCommand.Fail(e.Message);
        }
        catch (Exception e) when (e is ProxyStartException or TrustBundleException)
        {
            // The same status as `run` when its proxy cannot start: the session could not be set up.
            await DisposeAsync(admin).ConfigureAwait(false);
            Console.Error.WriteLine($"nono: {e.Message}");
            return ExitCodes.SandboxFailed;
        }

        handle.DrainTimeout = options.DrainTimeout;
        await using var audit = AuditStream.Open(options.AuditLog, handle);
        var banner = options.AuditLog == "-" ? Console.Error : Console.Out;
        foreach (var notice in notices)
            Console.Error.WriteLine($"nono: note: {notice}");
        if (admin is not null)
            banner.WriteLine($"# admin endpoints: http://{Bracketed(admin)}:{admin.Port}/healthz /readyz /metrics");
        if (options.Quiet)
            ProxyBanner.WriteQuiet(banner, handle);
        else
            ProxyBanner.Write(banner, handle, config);
        admin?.Attach(handle);

        while (await signals.Reader.ReadAsync().ConfigureAwait(false) == Signal.Reload)
            await ReloadAsync(handle, configure).ConfigureAwait(false);

        Console.Error.WriteLine($"nono: stopping the proxy (letting open connections finish for up to {options.DrainTimeout.TotalSeconds:0} s)");
        handle.Shutdown();
        await handle.DisposeAsync().ConfigureAwait(false);
        if (audit is not null)
            await audit.DisposeAsync().ConfigureAwait(false);
        await DisposeAsync(admin).ConfigureAwait(false);
        return 0;

        void Post(PosixSignalContext context, Signal signal)
        {
            context.Cancel = true;
            signals.Writer.TryWrite(signal);
        }
    }

    /// <summary>Profile and flags read again; on any failure the running configuration stays and the reason is said.</summary>
    private static async Task ReloadAsync(ProxyHandle handle, Func<(ProxyConfig Config, IReadOnlyList<string> Notices)> configure)
    {
        try
        {
            var (config, notices) = configure();
            await handle.ReloadAsync(config).ConfigureAwait(false);
            foreach (var notice in notices)
                Console.Error.WriteLine($"nono: note: {notice}");
            Console.Error.WriteLine("nono: configuration reloaded; new connections use it, open ones finish on the previous one");
        }
        catch (ProfileException e)
        {
            handle.RecordReloadFailure(e.Message);
            Console.Error.WriteLine($"nono proxy: reload failed, keeping the previous configuration: {e.Message}");
        }
        catch (ProxyConfigException e)
        {
            // Already counted and audited by the handle.
            Console.Error.WriteLine($"nono proxy: reload failed, keeping the previous configuration: {e.Message}");
        }
    }

    private static string Bracketed(AdminServer admin) =>
        admin.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{admin.Address}]" : admin.Address.ToString();

    private static async ValueTask DisposeAsync(AdminServer? admin)
    {
        if (admin is not null)
            await admin.DisposeAsync().ConfigureAwait(false);
    }
}
