namespace Nono.Supervisor.Session;

/// <summary>
/// The per-session temporary directory a supervised child gets as TMPDIR: created 0700 under the
/// host's temp directory with an unguessable name, and removed with everything in it when the session
/// ends. It is a sibling of `nono wrap`'s shared <c>/tmp/nono-&lt;uid&gt;</c>, not inside it, so a wrapped
/// program cannot read a concurrent session's files.
/// </summary>
internal sealed class SessionTemp : IDisposable
{
    private SessionTemp(string path) => Path = path;

    public string Path { get; }

    public static SessionTemp Create(string hostTemp)
    {
        var name = "nono-session-" + Convert.ToHexStringLower(Nono.Proxy.SecureRandom.GetBytes(12));
        var path = System.IO.Path.Join(hostTemp, name);
        try
        {
            var info = Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (info.LinkTarget is not null || (File.GetUnixFileMode(path) & (UnixFileMode)0x3F) != 0)
            {
                throw new IOException($"{path} is not a private directory");
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SessionException($"cannot create the session's temporary directory in {hostTemp}: {error.Message}. Check that it exists and is writable, or set TMPDIR.");
        }

        return new SessionTemp(path);
    }

    /// <summary>Removes the directory, first making what the child left unwritable writable again.</summary>
    public void Dispose()
    {
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
