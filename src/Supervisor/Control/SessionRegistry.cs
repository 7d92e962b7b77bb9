using Nono.Sandbox.Linux.Files;
using Nono.Supervisor.Session;

namespace Nono.Supervisor.Control;

/// <summary>A running session found by <see cref="SessionRegistry"/>: its id and control socket.</summary>
internal sealed record SessionEntry(string Id, string Directory, string Socket);

/// <summary>
/// Where sessions are found. A session is its locked 0700 directory <c>nono-session-ID</c> under the
/// temporary directory nono started with (<c>$TMPDIR</c>, else <c>/tmp</c>); the control socket is
/// <c>control.sock</c> at its top, beside (not inside) the program's own temporary directory, so
/// nothing the program is granted contains it. There is no separate registry file to go stale: a
/// session is running while its directory's lock is held (the kernel drops the lock when nono dies,
/// SIGKILL included) and its socket answers.
/// </summary>
internal static class SessionRegistry
{
    public const string SocketName = "control.sock";

    /// <summary>The temporary directories searched: the one a session started now would use, and /tmp.</summary>
    public static IReadOnlyList<string> Roots()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } t && Path.IsPathFullyQualified(t) ? Path.TrimEndingDirectorySeparator(t) : "/tmp";
        return fromEnvironment == "/tmp" ? ["/tmp"] : [fromEnvironment, "/tmp"];
    }

    /// <summary>The id of the session whose directory is <paramref name="directory"/>.</summary>
    public static string IdOf(string directory) => Path.GetFileName(directory)[SessionTemp.Prefix.Length..];

    public static string SocketOf(string directory) => Path.Join(directory, SocketName);

    /// <summary>This user's sessions whose lock is held (alive as far as the lock can tell), by directory name.</summary>
    public static IReadOnlyList<SessionEntry> Candidates()
    {
        var found = new List<SessionEntry>();
        foreach (var root in Roots())
        {
            string[] directories;
            try
            {
                directories = Directory.GetDirectories(root, SessionTemp.Prefix + "*");
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var directory in directories.Order(StringComparer.Ordinal))
            {
                if (DirectoryLock.Probe(directory) == DirectoryLock.State.Held && File.Exists(SocketOf(directory)))
                {
                    found.Add(new SessionEntry(IdOf(directory), directory, SocketOf(directory)));
                }
            }
        }

        return found;
    }
}
