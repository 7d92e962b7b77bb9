using System.CommandLine;
using Nono.Proxy;
using Nono.Supervisor.Control;

namespace Nono.Supervisor.Cli;

/// <summary>
/// `nono allow [--session ID] HOST...` and `nono deny [--session ID] HOST...`: change a running
/// session's allowlist from outside it. Bad hosts (metadata addresses, URLs, paths, <c>*</c>) are
/// refused here with the reason, and again by the session, which is the one that decides.
/// </summary>
internal static class AllowCommand
{
    public static Command Create(bool allow)
    {
        var name = allow ? "allow" : "deny";
        var session = new Option<string>("--session") { Description = "The session's id (or a unique prefix of it) from nono ps; optional when one session runs", HelpName = "id" };
        var hosts = new Argument<string[]>("host") { Description = "Host name, IPv4 address or *.suffix", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, allow
            ? "Allow hosts through a running session's proxy for the rest of the session (the deny list and deny_domain still win)"
            : "Refuse hosts again in a running session: takes back nono allow, and overrides the profile's allowlist");
        command.Options.Add(session);
        command.Arguments.Add(hosts);
        command.SetAction((parse, _) => RunAsync(allow, parse.GetValue(session), parse.GetValue(hosts) ?? [], parse.InvocationConfiguration));
        return command;
    }

    private static async Task<int> RunAsync(bool allow, string? id, string[] hosts, InvocationConfiguration io)
    {
        var name = allow ? "allow" : "deny";
        if (!OperatingSystem.IsLinux())
        {
            io.Error.WriteLine($"nono: {name}: live control of sessions is available on Linux only.");
            return ExitCodes.Usage;
        }

        var bad = hosts.Select(h => SessionHosts.Problem(h, out _)).OfType<string>().ToList();
        if (bad.Count > 0)
        {
            foreach (var problem in bad)
            {
                io.Error.WriteLine($"nono: {name}: {problem}");
            }

            return ExitCodes.Usage;
        }

        var (selected, error) = await RunningSessions.SelectAsync(id).ConfigureAwait(false);
        if (selected is null)
        {
            io.Error.WriteLine($"nono: {name}: {error}");
            return 1;
        }

        var request = new ControlRequest { Op = allow ? ControlRequest.Allow : ControlRequest.Deny, Hosts = hosts };
        var reply = await ControlClient.SendAsync(selected.Entry.Socket, request).ConfigureAwait(false);
        if (reply is null || reply.Error is not null)
        {
            io.Error.WriteLine($"nono: {name}: session {RunningSessions.Short(selected.Status.Id)} {(reply is null ? "did not answer (it may have ended)" : "refused: " + reply.Error)}");
            return 1;
        }

        var failed = false;
        foreach (var change in reply.Changes)
        {
            if (change.Error is not null)
            {
                failed = true;
                io.Error.WriteLine($"nono: {name}: {change.Error}");
                continue;
            }

            io.Output.WriteLine(change.Result == "unchanged"
                ? $"{change.Host}: already {(allow ? "allowed" : "refused")} in session {RunningSessions.Short(selected.Status.Id)}"
                : $"{change.Host}: {(allow ? "allowed" : "refused")} in session {RunningSessions.Short(selected.Status.Id)}");
        }

        return failed ? ExitCodes.Usage : 0;
    }
}
