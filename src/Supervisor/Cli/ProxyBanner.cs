using Nono.Proxy;

namespace Nono.Supervisor.Cli;

/// <summary>What `nono proxy` prints for the user to point their tools at: shell-ready export lines.</summary>
internal static class ProxyBanner
{
    public static void Write(TextWriter output, ProxyHandle handle, ProxyConfig config)
    {
        // The real bound address: a wildcard bind must not read as loopback-only. The URLs below use an
        // address this host's clients can connect to.
        output.WriteLine(handle.ListenAddress == handle.Host
            ? $"# nono proxy listening on {handle.ListenAddress}:{handle.Port}"
            : $"# nono proxy listening on {handle.ListenAddress}:{handle.Port} (all interfaces; clients on this host use {handle.Host}:{handle.Port})");
        output.WriteLine($"# proxy URL: {handle.ProxyUrl}");
        output.WriteLine(config.RequireAuth ? $"# token: {handle.Token}" : "# authentication: off (loopback only)");
        foreach (var line in handle.RouteDiagnostics(config))
            output.WriteLine($"# route {line}");
        if (handle.InterceptCaPath is { } bundle)
            output.WriteLine($"# TLS interception trust bundle: {bundle}");
        foreach (var (name, value) in handle.EnvVars().Concat(handle.CredentialEnvVars(config)))
            output.WriteLine($"export {name}={Quote(value)}");
        output.WriteLine("# serving until Ctrl-C or SIGTERM (SIGHUP reloads the configuration)");
        output.Flush();
    }

    /// <summary>
    /// <c>--quiet</c>: where the proxy listens and nothing a log reader could use to spend the routes'
    /// credentials (no token, no export lines carrying it); clients get the token from where the operator keeps it.
    /// </summary>
    public static void WriteQuiet(TextWriter output, ProxyHandle handle)
    {
        output.WriteLine($"# nono proxy listening on {handle.ListenAddress}:{handle.Port}");
        output.WriteLine("# serving until Ctrl-C or SIGTERM (SIGHUP reloads the configuration)");
        output.Flush();
    }

    /// <summary>Single-quoted for POSIX shells.</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
