using System.Runtime.Versioning;
using Nono.Proxy;
using Nono.Sandbox;
using Nono.Sandbox.Linux;
using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Policy;
using Nono.Supervisor.Cli;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Session;

/// <summary>
/// The supervised session of `nono run` and `nono shell`: resolve the settings, start the proxy,
/// spawn the sandboxed child, hand its in-namespace listener to the proxy, forward signals, wait,
/// then tear everything down (proxy, trust bundle, temp directory), write the audit log, summarise
/// refused hosts and exit with the child's status.
/// </summary>
[SupportedOSPlatform("linux")]
internal static partial class SessionRunner
{
    public const ushort DefaultProxyPort = SessionRequest.DefaultProxyPort;

    /// <summary>Concurrent connections the session's proxy accepts from the program before answering 503.</summary>
    public const int MaxConnections = 4096;

    public static async Task<int> RunAsync(SessionRequest request)
    {
        SessionTemp? temp = null;

        // A session nearly always needs namespaces, and finding out whether they work here starts a
        // process (UserNamespaceTrial): that runs on the other core while the profile is resolved.
        var detection = Task.Run(() =>
        {
            var detected = LinuxHost.Detect();
            _ = detected.UserNamespaces.Available;
            return detected;
        });
        try
        {
            var hostTemp = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } t && Path.IsPathFullyQualified(t) ? t : "/tmp";
            temp = SessionTemp.Create(hostTemp);
            var host = HostEnvironment.FromProcess(request.WorkingDirectory) with { TmpDir = temp.Path };
            var settings = SessionResolver.Resolve(host, request.Flags, SessionScope.Full);
            foreach (var notice in settings.Notices)
            {
                Console.Error.WriteLine($"nono: note: {notice}");
            }

            if (request.Verbose)
            {
                foreach (var skipped in settings.SkippedPaths)
                {
                    Console.Error.WriteLine($"nono: debug: {skipped}");
                }
            }

            var executable = CommandResolver.Resolve(request.Command[0], request.WorkingDirectory, host.Variables.GetValueOrDefault("PATH"));
            if (executable is null)
            {
                Console.Error.WriteLine($"nono: {request.Command[0]}: command not found");
                return ExitCodes.CannotExecute;
            }

            var linux = await detection.ConfigureAwait(false);
            var proxyConfig = settings.NetworkMode == NetworkMode.Proxy ? ProxyConfigFor(settings, request, linux) : null;
            if (request.DryRun)
            {
                return DryRun.Print(request, settings, linux, proxyConfig, executable, temp.Path, host.SensitiveHomes());
            }

            return await SuperviseAsync(request, settings, linux, proxyConfig, executable, temp.Path, host).ConfigureAwait(false);
        }
        catch (ProfileException error)
        {
            Console.Error.WriteLine($"nono: {error.Message}");
            return ExitCodes.Usage;
        }
        catch (PolicyException error)
        {
            Console.Error.WriteLine($"nono: {error.Message}");
            return ExitCodes.Usage;
        }
        catch (SandboxUnavailableException error)
        {
            Console.Error.WriteLine($"nono: cannot sandbox: {error.Message}");
            return ExitCodes.SandboxFailed;
        }
        catch (Exception error) when (error is SessionException or ProxyConfigException or ProxyStartException or SandboxLaunchException)
        {
            Console.Error.WriteLine($"nono: {error.Message}");
            return error is SandboxLaunchException { ExitCode: int code } && code != 0 ? code : ExitCodes.SandboxFailed;
        }
        finally
        {
            temp?.Dispose();
        }
    }

    /// <summary>
    /// In a network namespace the proxy has no listener of its own: the child's stage 2 binds
    /// 127.0.0.1:port inside the namespace and hands the socket over. Without user namespaces (the
    /// fallback) the proxy listens on the host's loopback and the child may connect only to that port.
    /// </summary>
    private static ProxyConfig ProxyConfigFor(SessionSettings settings, SessionRequest request, LinuxHost linux)
    {
        var inNamespace = linux.UserNamespaces.Available;
        return settings.CreateProxyConfig() with
        {
            BindAddress = "127.0.0.1",
            BindOwnListener = !inNamespace,
            BindPort = request.ProxyPort ?? (inNamespace ? DefaultProxyPort : 0),

            // One program's connections (a package manager opens many at once); each costs a few KiB.
            MaxConnections = MaxConnections,
        };
    }
}
