using System.CommandLine;
using Nono.Proxy;
using Nono.Supervisor.Control;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Cli;

/// <summary>
/// `nono why HOST|PATH [--profile P]`: would a session under this profile reach the host or the
/// path, by which rule, or what refuses it. It asks the same code that enforces: the proxy's host
/// filter built from the resolved profile, and the sandbox policy composed as the launch composes it.
/// An argument with a '/' (or '.', '~') is a path; anything else is a host.
/// </summary>
internal static class WhyCommand
{
    public static Command Create()
    {
        var profile = new Option<string>(FlagNames.Profile) { Description = "Profile name or path (default: 'default')", HelpName = "name|path" };
        var port = new Option<int>("--port") { Description = "The port the host would be reached on (default 443)", DefaultValueFactory = _ => 443 };
        var target = new Argument<string>("host|path") { Description = "A host name or IP address, or a file system path" };
        var why = new Command("why", "Say whether a host or path would be allowed under a profile, and by which rule, or what refuses it");
        why.Options.Add(profile);
        why.Options.Add(port);
        why.Arguments.Add(target);
        why.SetAction(parse => Run(parse.GetRequiredValue(target), parse.GetValue(profile), parse.GetValue(port), parse.InvocationConfiguration));
        return why;
    }

    private static int Run(string target, string? profile, int port, InvocationConfiguration io)
    {
        var profileName = profile ?? SessionResolver.DefaultProfile;
        try
        {
            var host = HostEnvironment.FromProcess(Environment.CurrentDirectory);
            var isPath = target.Contains('/', StringComparison.Ordinal) || target is "." or ".." or "~" || target.StartsWith("~/", StringComparison.Ordinal);
            var settings = SessionResolver.Resolve(host, SessionFlags.None with { Profile = profile }, isPath ? SessionScope.Full : SessionScope.NetworkOnly);
            if (isPath)
            {
                var path = target == "~" || target.StartsWith("~/", StringComparison.Ordinal) ? host.Home + target[1..] : target;
                var (allowed, reason) = PathExplanation.For(path, settings, host, profileName);
                io.Output.WriteLine(reason);
                return allowed ? 0 : 1;
            }

            return Host(target, port, settings, profileName, io);
        }
        catch (ProfileException error)
        {
            io.Error.WriteLine($"nono: {error.Message}");
            return ExitCodes.Usage;
        }
    }

    private static int Host(string target, int port, SessionSettings settings, string profileName, InvocationConfiguration io)
    {
        if (settings.NetworkMode != Sandbox.NetworkMode.Proxy)
        {
            io.Output.WriteLine(settings.NetworkMode == Sandbox.NetworkMode.Host
                ? $"{target}: allowed: profile {profileName} gives the program the host's network (no proxy, no filter)"
                : $"{target}: refused: profile {profileName} blocks the network");
            return settings.NetworkMode == Sandbox.NetworkMode.Host ? 0 : 1;
        }

        var answer = HostExplanation.For(settings.CreateProxyConfig(), target, port);
        var later = answer.ResolvedLater ? " (its addresses are checked when it is used: metadata and link-local addresses are always refused)" : string.Empty;
        io.Output.WriteLine(answer.Allowed
            ? $"{answer.Host}: allowed by {answer.Reason} of profile {profileName} (with its extends and network groups){later}"
            : $"{answer.Host}: refused: {answer.Reason}");
        return answer.Allowed ? 0 : 1;
    }
}
