using Nono.Proxy;
using Nono.Sandbox;
using Nono.Supervisor.Cli;
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
/// The platform-neutral start and end of `nono run` and `nono shell`: create the session's temp
/// directory, resolve the profile and flags, find the command, hand over to the platform's part, and
/// turn each failure nono can explain into its message and exit status. The temp directory goes
/// whatever happens.
/// </summary>
internal static class SessionFront
{
    public static async Task<int> RunAsync(SessionRequest request, Func<ResolvedSession, Task<int>> platform)
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

            var reachable = settings.Grants.Append(FsGrant.Directory(temp.Path, FsAccess.All)).ToArray();
            if (ExecutableReach.Refusal(request.Command[0], executable, reachable, host.Variables.GetValueOrDefault("PATH"), host.SensitiveHomes()) is { } refusal)
            {
                Console.Error.WriteLine($"nono: {(request.DryRun ? "note: " : string.Empty)}{refusal}");
                if (!request.DryRun)
                {
                    return ExitCodes.CannotExecute;
                }
            }

            var git = request.DryRun ? null : GitFor(host, temp.Path, request.Verbose);
            var shell = request.Terminal && !request.DryRun ? ShellStartup.Prepare(executable, temp.Path) : null;
            var launched = shell is null ? request : request with { Command = [request.Command[0], .. shell.Arguments, .. request.Command.Skip(1)] };
            return await platform(new ResolvedSession(launched, settings, host, executable, temp.Path)
            {
                SessionVariables = [.. shell?.Variables ?? [], .. git?.Variables ?? []],
            }).ConfigureAwait(false);
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
}
