using Nono.Sandbox;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Toolchains;

/// <summary>
/// Before a session starts, follows what executing the command will touch - the file its links lead
/// to, the interpreter its <c>#!</c> line names and, for <c>#!/usr/bin/env NAME</c>, the NAME found on
/// PATH - and finds the first of them no grant lets the program execute. The kernel would refuse it
/// with a bare "Permission denied"; nono says which path and which flag grants it.
/// </summary>
internal static class ExecutableReach
{
    private const int MaxInterpreterDepth = 4;

    /// <summary>Why the command cannot run in the sandbox, or null when every step is granted.</summary>
    public static string? Refusal(string command, string executable, IReadOnlyList<FsGrant> grants, string? searchPath, SensitiveHomes homes)
    {
        if (FirstUngranted(executable, grants, searchPath, depth: 0) is not { } path)
        {
            return null;
        }

        if (homes.Covers(path))
        {
            return $"{command}: '{path}' is inside a path that holds credentials or history, which nono never grants; install the program elsewhere";
        }

        var directory = Path.GetDirectoryName(path) ?? "/";
        var flag = homes.Own.Contains(directory) ? $"--read-file {path}" : $"--read {directory}";
        return $"{command}: '{path}' is outside the sandbox's grants, so it cannot run; grant it with {flag} (or add it to filesystem.read in a profile)";
    }

    private static string? FirstUngranted(string path, IReadOnlyList<FsGrant> grants, string? searchPath, int depth)
    {
        // The kernel checks the file a path leads to (/bin/sh is /usr/bin/dash on a merged-/usr system), and grants are on resolved paths.
        var real = RealPath.Resolve(path) ?? path;
        if (!Executable(real, grants))
        {
            return real;
        }

        if (depth >= MaxInterpreterDepth || Interpreter(real, searchPath) is not { } interpreter)
        {
            return null;
        }

        return FirstUngranted(interpreter, grants, searchPath, depth + 1);
    }

    private static bool Executable(string path, IReadOnlyList<FsGrant> grants) =>
        grants.Any(grant => grant.Access.HasFlag(FsAccess.Execute)
            && (grant.Target == FsTarget.Directory ? PathUtil.IsSameOrBelow(path, grant.Path) : grant.Path == path));

    /// <summary>The program a <c>#!</c> line hands the file to (through <c>env</c>: the one it finds on PATH).</summary>
    private static string? Interpreter(string script, string? searchPath)
    {
        string? line;
        try
        {
            using var reader = new StreamReader(script);
            var start = new char[256];
            var read = reader.ReadBlock(start, 0, start.Length);
            var text = new string(start, 0, read);
            line = text.StartsWith("#!", StringComparison.Ordinal) ? text[2..].Split('\n')[0] : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var words = line?.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (words.Length == 0 || !Path.IsPathFullyQualified(words[0]))
        {
            return null;
        }

        if (Path.GetFileName(words[0]) != "env")
        {
            return words[0];
        }

        var name = words.Skip(1).FirstOrDefault(word => !word.StartsWith('-') && !word.Contains('=', StringComparison.Ordinal));
        return name is null ? words[0] : Cli.CommandResolver.Resolve(name, "/", searchPath) ?? words[0];
    }
}
