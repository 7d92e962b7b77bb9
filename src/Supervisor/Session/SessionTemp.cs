using Nono.Sandbox.Linux.Files;

namespace Nono.Supervisor.Session;

/// <summary>
/// The per-session temporary directory a supervised child gets as TMPDIR: created 0700 under the
/// host's temp directory with an unguessable name, and removed with everything in it when the session
/// ends. It is a sibling of `nono wrap`'s shared <c>/tmp/nono-&lt;uid&gt;</c>, not inside it, so a wrapped
/// program cannot read a concurrent session's files. On Linux the directory is locked for the
/// session's life, and each new session removes the directories of sessions whose nono was killed
/// before it could clean up (<see cref="LockedDirectory"/>). The program's TMPDIR is the
/// <see cref="ChildDirectory"/> inside it; the top level is the supervisor's alone (the control
/// socket lives there), and no grant covers it.
/// </summary>
internal sealed class SessionTemp : IDisposable
{
    public const string Prefix = "nono-session-";

    /// <summary>The program's own temporary directory, inside the session's.</summary>
    public const string ChildDirectory = "tmp";

    /// <summary>A directory younger than this may belong to a session that has created it but not yet locked it.</summary>
    private static readonly TimeSpan SweepAge = TimeSpan.FromMinutes(1);

    private readonly LockedDirectory? _locked;

    private SessionTemp(string path, LockedDirectory? locked)
    {
        Path = path;
        _locked = locked;
    }

    public string Path { get; }

    /// <summary>The program's TMPDIR: <see cref="ChildDirectory"/> inside <see cref="Path"/>.</summary>
    public string ChildPath => System.IO.Path.Join(Path, ChildDirectory);

    /// <summary>True when the directory is locked for the session's life (Linux), which is what `nono ps` relies on.</summary>
    public bool Locked => _locked is not null;

    public static SessionTemp Create(string hostTemp)
    {
        var name = Prefix + Convert.ToHexStringLower(Nono.Proxy.SecureRandom.GetBytes(12));
        try
        {
            if (OperatingSystem.IsLinux())
            {
                if (LockedDirectory.RemoveAbandoned(hostTemp, Prefix, SweepAge) is var swept and > 0)
                {
                    Console.Error.WriteLine($"nono: removed {swept} temporary director{(swept == 1 ? "y" : "ies")} left by sessions that were killed");
                }

                var locked = LockedDirectory.Create(hostTemp, name);
                try
                {
                    CreateChildDirectory(locked.Path);
                }
                catch
                {
                    locked.Remove();
                    throw;
                }

                return new SessionTemp(locked.Path, locked);
            }

            var path = System.IO.Path.Join(hostTemp, name);
            var info = Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (info.LinkTarget is not null || (File.GetUnixFileMode(path) & (UnixFileMode)0x3F) != 0)
            {
                throw new IOException($"{path} is not a private directory");
            }

            CreateChildDirectory(path);
            return new SessionTemp(path, null);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SessionException($"cannot create the session's temporary directory in {hostTemp}: {error.Message}. Check that it exists and is writable, or set TMPDIR.");
        }
    }

    private static void CreateChildDirectory(string path) =>
        Directory.CreateDirectory(System.IO.Path.Join(path, ChildDirectory), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    /// <summary>Removes the directory, first making what the child left unwritable writable again.</summary>
    public void Dispose()
    {
        if (_locked is not null)
        {
            if (!_locked.Remove())
            {
                Console.Error.WriteLine($"nono: could not remove all of the session's temporary directory {Path}");
            }

            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
            return;
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
        }

        try
        {
            foreach (var directory in Directory.EnumerateDirectories(Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"nono: could not remove the session's temporary directory {Path}: {error.Message}");
        }
    }
}
