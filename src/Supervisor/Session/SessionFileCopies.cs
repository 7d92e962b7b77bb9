using System.Text;
using Nono.Sandbox;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Session;

/// <summary>
/// The private copies of <see cref="PlantedCommandPaths.CopiedUnderHome"/> for one session: made in
/// the session's temp directory before the launch (the real file is created as "{}" when missing,
/// since the bind needs it), bound over the real files in the child's mount namespace, and written
/// back by <see cref="WriteBack"/> once the program has ended, with <see cref="CommandKeyMerge"/>
/// keeping the command keys as the real file has them then. A session that nono cannot finish
/// (nono killed, launch failed) leaves the real files as they were.
/// </summary>
internal sealed class SessionFileCopies
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly IReadOnlyList<(SessionCopy Copy, string Snapshot)> _copies;

    private SessionFileCopies(IReadOnlyList<(SessionCopy Copy, string Snapshot)> copies) => _copies = copies;

    /// <summary>The copies <paramref name="policy"/> needs, without touching any file (for --dry-run).</summary>
    public static IReadOnlyList<SessionCopy> Plan(SandboxPolicy policy, SensitiveHomes homes, string temp) =>
        PlantedCommandPaths.CopiesInsideWritableGrants(homes.Own, policy.Grants)
            .Select((entry, index) => new SessionCopy(
                entry.Path, Path.Join(temp, $"session-copy-{index}-{Path.GetFileName(entry.Path)}"), entry.Reason))
            .ToArray();

    /// <summary>Makes the copies and returns the policy that binds them.</summary>
    public static (SandboxPolicy Policy, SessionFileCopies Copies) Create(SandboxPolicy policy, SensitiveHomes homes, string temp)
    {
        var made = new List<(SessionCopy, string)>();
        foreach (var planned in Plan(policy, homes, temp))
        {
            var real = Resolve(planned.Path);
            if (!File.Exists(real))
            {
                WriteNew(real, "{}\n", OwnerOnly);
            }

            var snapshot = File.ReadAllText(real);
            WriteNew(planned.CopyPath, snapshot, OwnerOnly);
            made.Add((planned with { Path = real }, snapshot));
        }

        var copies = new SessionFileCopies(made);
        return made.Count == 0 ? (policy, copies) : (policy with { SessionCopies = [.. policy.SessionCopies, .. made.Select(entry => entry.Item1)] }, copies);
    }

    /// <summary>Writes each copy the session changed back to its real file; tells the user what it refused.</summary>
    public void WriteBack()
    {
        foreach (var (copy, snapshot) in _copies)
        {
            try
            {
                var session = File.ReadAllText(copy.CopyPath);
                if (session == snapshot)
                {
                    continue;
                }

                var merged = CommandKeyMerge.Merge(File.Exists(copy.Path) ? File.ReadAllText(copy.Path) : "{}", session);
                if (merged is null)
                {
                    Console.Error.WriteLine($"nono: {copy.Path}: the session left its copy not valid JSON; the file stays as it was before the session");
                    continue;
                }

                Replace(copy.Path, merged.Json);
                if (merged.Refused.Count > 0)
                {
                    Console.Error.WriteLine($"nono: {copy.Path}: the session's changes to {string.Join(", ", merged.Refused)} were not kept "
                        + "(they run or approve commands outside the sandbox); its other changes were written back");
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"nono: {copy.Path}: could not write the session's changes back ({error.Message}); the file stays as it was before the session");
            }
        }
    }

    /// <summary>The file a symbolic link at <paramref name="path"/> ends at (dotfile managers link these).</summary>
    private static string Resolve(string path) =>
        new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

    /// <summary>Replaces <paramref name="path"/> by rename, so that a reader never sees half a file; keeps its mode.</summary>
    private static void Replace(string path, string content)
    {
        var mode = File.Exists(path) ? File.GetUnixFileMode(path) : OwnerOnly;
        var temporary = Path.Join(Path.GetDirectoryName(path), $".{Path.GetFileName(path)}.nono-{Convert.ToHexStringLower(Nono.Proxy.SecureRandom.GetBytes(6))}");
        try
        {
            WriteNew(temporary, content, mode);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void WriteNew(string path, string content, UnixFileMode mode)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
        });
        stream.Write(Encoding.UTF8.GetBytes(content));
        stream.Flush(flushToDisk: true);
    }
}
