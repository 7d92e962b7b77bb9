using System.Runtime.InteropServices;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// What the password database says about home directories: the home of the account nono runs as
/// (which a changed or missing $HOME does not hide), and the home of every account in /etc/passwd
/// (root granting /home would otherwise hand over every user's credentials).
/// </summary>
/// <param name="OwnHome">The home of the effective user, or null when the database has none.</param>
/// <param name="AllHomes">Every account's home directory, absolute, without duplicates.</param>
internal sealed partial record UserAccounts(string? OwnHome, IReadOnlyList<string> AllHomes)
{
    public static UserAccounts None { get; } = new(null, []);

    /// <summary>The effective user's entry (through the C library, so directory services count too)
    /// and the homes listed in /etc/passwd.</summary>
    public static UserAccounts FromSystem() => new(OwnHomeFromDatabase(), HomesIn("/etc/passwd"));

    /// <summary>The home directories in a passwd(5) file; a missing or unreadable file lists none.</summary>
    public static IReadOnlyList<string> HomesIn(string passwdFile)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(passwdFile);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        // name:password:uid:gid:gecos:home:shell
        return lines
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length >= 7 && Path.IsPathFullyQualified(fields[5]))
            .Select(fields => Sandbox.PathUtil.Normalize(fields[5], "/"))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    private static unsafe string? OwnHomeFromDatabase()
    {
        // pw_dir follows pw_name, pw_passwd, pw_uid, pw_gid and pw_gecos on 64-bit Linux; macOS
        // has pw_change and pw_class before pw_gecos.
        int offset;
        if (OperatingSystem.IsLinux())
        {
            offset = 32;
        }
        else if (OperatingSystem.IsMacOS())
        {
            offset = 48;
        }
        else
        {
            return null;
        }

        var entry = GetPwUid(GetEuid());
        if (entry == 0)
        {
            return null;
        }

        var home = Marshal.PtrToStringUTF8(*(nint*)(entry + offset));
        return home is { Length: > 0 } && Path.IsPathFullyQualified(home) ? Sandbox.PathUtil.Normalize(home, "/") : null;
    }

    [LibraryImport("libc", EntryPoint = "getpwuid")]
    private static partial nint GetPwUid(uint uid);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}
