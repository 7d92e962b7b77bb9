using Nono.Proxy;
using Nono.Sandbox;
using Nono.Supervisor.Cli;
using Nono.Supervisor.Control;
using Nono.Supervisor.Git;
using Nono.Supervisor.Profiles;
using Nono.Supervisor.Terminal;
using Nono.Supervisor.Toolchains;

namespace Nono.Supervisor.Session;

/// <summary>What every platform's session starts from: the resolved settings, the command's executable and the session's temp directory.</summary>
internal sealed record ResolvedSession(SessionRequest Request, SessionSettings Settings, HostEnvironment Host, string Executable, string Temp)
{
    /// <summary>Variables nono sets for the child after filtering: the sanitised git configuration's and the shell start-up file's.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SessionVariables { get; init; } = [];
}

/// <summary>
/// `nono run` and `nono shell`, written once for every platform: create the session's temp
/// directory, resolve the profile and flags, find the command, configure the proxy, then either
/// print the dry run or start the proxy, plan the sandbox, launch, supervise and tear down
/// (<see cref="SupervisedSession"/>). The platform contributes its steps through
/// <see cref="ISessionPlatform"/>. Each failure nono can explain becomes its message and the exit
/// status its exception carries; the temp directory goes whatever happens.
/// </summary>
internal static class SessionSequence
{
    public static async Task<int> RunAsync(SessionRequest request, ISessionPlatform platform)
    {
        SessionTemp? temp = null;
        var timeline = new LaunchTimeline();
        try
        {
            var hostTemp = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } t && Path.IsPathFullyQualified(t) ? t : "/tmp";
            temp = SessionTemp.Create(hostTemp);
            var session = Resolve(request, temp.ChildPath);
            if (session is null)
            {
                return ExitCodes.CannotExecute;
            }

            timeline.Done("resolve");
            var proxyConfig = await platform.ConfigureAsync(session).ConfigureAwait(false);
            timeline.Done("host detection");
            return request.DryRun
                ? platform.PrintDryRun(session, proxyConfig)
                : await SuperviseAsync(session, platform, proxyConfig, temp, timeline).ConfigureAwait(false);
        }
        catch (ProfileException error)
        {
            Console.Error.WriteLine($"nono: {error.Message}");
            return ExitCodes.Usage;
        }
        catch (NonoException error)
        {
            Console.Error.WriteLine($"nono: {error.Explanation}");
            return error.ExitStatus;
        }
        catch (Exception error) when (error is ProxyConfigException or ProxyStartException)
        {
            Console.Error.WriteLine($"nono: {error.Message}");
            return ExitCodes.SandboxFailed;
        }
        finally
        {
            platform.Dispose();
            temp?.Dispose();
        }
    }

    /// <summary>The settings and the executable; null (after saying so) when the command is not found.</summary>
    private static ResolvedSession? Resolve(SessionRequest request, string temp)
    {
        var host = HostEnvironment.FromProcess(request.WorkingDirectory) with { TmpDir = temp };
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
            return null;
        }

        var reachable = settings.Grants.Append(FsGrant.Directory(temp, FsAccess.All)).ToArray();
        if (ExecutableReach.Refusal(request.Command[0], executable, reachable, host.Variables.GetValueOrDefault("PATH"), host.SensitiveHomes()) is { } refusal)
        {
            Console.Error.WriteLine($"nono: {(request.DryRun ? "note: " : string.Empty)}{refusal}");
            if (!request.DryRun)
            {
                return null;
            }
        }

        var git = request.DryRun ? null : GitFor(host, temp, request.Verbose);
        var shell = request.Terminal && !request.DryRun ? ShellStartup.Prepare(executable, temp) : null;
        var launched = shell is null ? request : request with { Command = [request.Command[0], .. shell.Arguments, .. request.Command.Skip(1)] };
        return new ResolvedSession(launched, settings, host, executable, temp)
        {
            SessionVariables = [.. shell?.Variables ?? [], .. git?.Variables ?? []],
        };
    }

    /// <summary>The sanitised git configuration, in the session's temp directory (removed with it).</summary>
    private static GitSessionConfig GitFor(HostEnvironment host, string temp, bool verbose)
    {
        GitSessionConfig git;
        try
        {
            git = GitSessionConfig.Write(host.Home, host.Variables, temp);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SessionException($"cannot write the session's git configuration in {temp}: {error.Message}");
        }

        foreach (var problem in git.Problems())
        {
            Console.Error.WriteLine($"nono: note: {problem}");
        }

        if (verbose && git.DescribeDropped() is { } dropped)
        {
            Console.Error.WriteLine($"nono: debug: {dropped}");
        }

        return git;
    }

    private static async Task<int> SuperviseAsync(ResolvedSession session, ISessionPlatform platform, ProxyConfig? proxyConfig, SessionTemp temp, LaunchTimeline timeline)
    {
        // Disposed after the supervised session: the saved profile is written once the summary is out.
        await using var control = LiveControl.For(session, proxyConfig, temp);
        proxyConfig = control is null ? proxyConfig : proxyConfig! with { SessionHosts = control.Hosts };
        await using var supervised = new SupervisedSession(session.Request) { AfterChild = platform.AfterChildAsync };
        platform.BeforeStart();
        await supervised.StartProxyAsync(proxyConfig).ConfigureAwait(false);
        control?.Listen();
        supervised.OpenTerminal();
        timeline.Done("proxy and control");
        platform.Plan(session, supervised);
        timeline.Done("sandbox plan");
        var target = supervised.Target(session, proxyConfig);
        if (supervised.EndedBeforeLaunch is { } status)
        {
            return status;
        }

        var child = await platform.LaunchAsync(session, supervised, target).ConfigureAwait(false);
        timeline.Done("stage 2 start (until it hands over its listeners)");
        if (session.Request.Verbose)
        {
            Console.Error.WriteLine($"nono: debug: {timeline.Describe()}");
        }

        supervised.Started(child);
        control?.ChildStarted(child.Pid);
        platform.Attach(child, supervised, proxyConfig);
        return await supervised.RunToExitAsync(child).ConfigureAwait(false);
    }
}
