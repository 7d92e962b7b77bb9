using System.CommandLine;
using System.Globalization;
using Nono.Supervisor.Control;

namespace Nono.Supervisor.Cli;

/// <summary>`nono ps`: the user's running supervised sessions, one line each.</summary>
internal static class PsCommand
{
    public static Command Create()
    {
        var ps = new Command("ps", "List your running nono sessions: id, pid, start time, profile, hosts refused so far, command");
        ps.SetAction(async (parse, _) =>
        {
            if (!OperatingSystem.IsLinux())
            {
                Console.Error.WriteLine("nono: ps: live control of sessions is available on Linux only.");
                return ExitCodes.Usage;
            }

            var running = await RunningSessions.ListAsync().ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            if (running.Count == 0)
            {
                output.WriteLine("no running nono session");
                return 0;
            }

            Print(output, running);
            return 0;
        });
        return ps;
    }

    private static void Print(TextWriter output, IReadOnlyList<RunningSession> running)
    {
        var rows = running.Select(r => new[]
        {
            RunningSessions.Short(r.Status.Id),
            r.Status.Pid.ToString(CultureInfo.InvariantCulture),
            DateTimeOffset.FromUnixTimeMilliseconds(r.Status.StartedUnixMs).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            r.Status.Profile,
            r.Status.Refused.Count == 0 ? "-" : string.Join(",", r.Status.Refused),
            r.Status.Allowed.Count == 0 ? "-" : string.Join(",", r.Status.Allowed),
            OneLine(string.Join(' ', r.Status.Command)),
        }).ToList();
        string[] header = ["ID", "PID", "STARTED", "PROFILE", "REFUSED", "ALLOWED", "COMMAND"];
        var widths = header.Select((h, i) => rows.Select(row => row[i].Length).Append(h.Length).Max()).ToArray();
        output.WriteLine(Line(header, widths));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    /// <summary>A command as one printable line: a newline in an argument must not start a fake row, nor an escape sequence reach the terminal.</summary>
    private static string OneLine(string text) =>
        string.Concat(text.Select(c => c switch
        {
            '\n' => "\\n",
            '\t' => "\\t",
            _ when char.IsControl(c) => $"\\x{(int)c:x2}",
            _ => c.ToString(),
        }));

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, i) => i == cells.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd();
}
