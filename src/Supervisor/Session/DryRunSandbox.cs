using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Session;

/// <summary>The part of `--dry-run` every platform prints alike: profile, command, the sandbox plan's own description, temp directory, skipped paths.</summary>
internal static class DryRunSandbox
{
    public static void Print(TextWriter output, SessionRequest request, SessionSettings settings, string executable, IEnumerable<string> plan)
    {
        output.WriteLine($"profile: {settings.Profile.Name} ({string.Join(" <- ", settings.Profile.Layers.Select(layer => layer.Name))})");
        output.WriteLine($"command: {executable} {string.Join(' ', request.Command.Skip(1))}".TrimEnd());
        output.WriteLine($"working directory: {request.WorkingDirectory}");
        foreach (var line in plan)
        {
            output.WriteLine(line);
        }

        output.WriteLine("temporary directory: a new 0700 directory per session (TMPDIR), removed when the session ends");
        foreach (var skipped in settings.SkippedPaths)
        {
            output.WriteLine($"skipped: {skipped}");
        }
    }
}
