using System.Runtime.Versioning;
using Nono.Proxy;
using Nono.Sandbox;
using Nono.Sandbox.MacOS;
using Nono.Supervisor.Cli;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Session;

/// <summary>
/// `nono run` and `nono shell` on macOS: the same session as on Linux (resolve the settings, start
/// the proxy, spawn `nono __sandbox-exec` with the launch spec, forward signals, relay the PTY, tear
/// everything down and exit with the child's status), with Seatbelt in place of namespaces, Landlock
/// and seccomp. The proxy listens on the host's loopback (ephemeral port, token required) and the
/// profile lets the program reach that port only (<see cref="SeatbeltSessionPlan"/>).
/// </summary>
[SupportedOSPlatform("macos")]
internal static partial class SeatbeltSessionRunner
{
    public static async Task<int> RunAsync(SessionRequest request)
    {
        SessionTemp? temp = null;
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

            var context = new SeatbeltContext(host.Home);
            var proxyConfig = settings.NetworkMode == NetworkMode.Proxy ? SeatbeltSessionPlan.ProxyConfigFor(settings, request) : null;
            if (request.DryRun)
            {
                return SeatbeltDryRun.Print(Console.Out, request, settings, proxyConfig, executable, temp.Path, context, host.Accounts);
            }

            return await SuperviseAsync(request, settings, proxyConfig, executable, temp.Path, host, context).ConfigureAwait(false);
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
}
