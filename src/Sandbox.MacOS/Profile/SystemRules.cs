namespace Nono.Sandbox.MacOS.Profile;

/// <summary>
/// What any program needs from the system to start and run: the system's own software (read, map,
/// run), its configuration (read), the harmless devices, and process, sysctl and IPC basics. None of
/// it holds user data. Fixed text: nothing here comes from the policy.
/// </summary>
internal static class SystemRules
{
    /// <summary>System software: programs, libraries, frameworks, the dyld shared cache (in /System or,
    /// on older releases, /private/var/db/dyld), the developer tools that /usr/bin shims such as git and
    /// clang run, and the Homebrew prefix of Apple silicon (Intel's, /usr/local, is under /usr).</summary>
    private static readonly string[] SoftwareRoots =
    [
        "/usr",
        "/bin",
        "/sbin",
        "/System",
        "/Library/Apple",
        "/Library/Frameworks",
        "/Library/Developer/CommandLineTools",
        "/Applications/Xcode.app",
        "/private/var/db/dyld",
        "/opt/homebrew",
    ];

    /// <summary>Configuration read at startup: hosts, services, passwd (no hashes on macOS),
    /// TLS roots, time zones, the shell /bin/sh hands over to, the selected developer directory.</summary>
    private static readonly string[] ConfigurationRoots =
    [
        "/private/etc",
        "/private/var/db/timezone",
        "/private/var/select",
        "/Library/Preferences",
    ];

    private static readonly string[] ConfigurationFiles =
    [
        "/private/var/db/xcode_select_link",
        "/private/var/run/resolv.conf",
        "/dev/autofs_nowait",
        "/dev/random",
        "/dev/urandom",
    ];

    /// <summary>The links and directories a path lookup walks through on the way to the above.</summary>
    private static readonly string[] TraversedPaths =
    [
        "/private",
        "/private/var",
        "/private/var/db",
        "/private/var/run",
        "/tmp",
        "/var",
        "/etc",
        "/dev",
        "/dev/stdin",
        "/dev/stdout",
        "/dev/stderr",
        "/Library",
        "/Library/Developer",
        "/Applications",
        "/opt",
        "/System/Volumes",
        "/System/Volumes/Data",
    ];

    public static void Write(ProfileWriter profile)
    {
        profile.Comment("processes: children inherit this sandbox; signals and process information stay inside it");
        profile.AllowAll("process-fork");
        profile.Form("(allow signal (target same-sandbox))");
        profile.Form("(allow process-info* (target same-sandbox))");
        profile.Blank();

        profile.Comment("system information and local IPC that runtimes use (CPU count, preferences, semaphores)");
        profile.AllowAll("sysctl-read");
        profile.AllowAll("mach-host*");
        profile.AllowAll("user-preference-read");
        profile.AllowAll("ipc-posix-sem");
        profile.AllowAll("ipc-posix-shm");
        profile.Allow("iokit-open", "(iokit-registry-entry-class \"RootDomainUserClient\")");
        profile.Blank();

        profile.Comment("system software: read, map as code, run");
        var software = SoftwareRoots.Select(Sbpl.Subpath).ToList();
        profile.Allow("file-read* file-test-existence", software);
        profile.Allow("file-map-executable", software);
        profile.Allow("process-exec*", software);
        profile.Blank();

        profile.Comment("system configuration: read only");
        profile.Allow(
            "file-read* file-test-existence",
            ConfigurationRoots.Select(Sbpl.Subpath).Concat(ConfigurationFiles.Select(Sbpl.Literal)));
        profile.Allow("file-read* file-test-existence", Sbpl.Literal("/"));
        profile.Allow("file-read-metadata file-test-existence", TraversedPaths.Select(Sbpl.Literal));
        profile.Blank();

        profile.Comment("devices: the null devices, descriptors the program already holds, terminals");
        profile.Allow("file-read* file-test-existence file-write-data", Sbpl.Literal("/dev/null"), Sbpl.Literal("/dev/zero"));
        profile.Allow("file-read-data file-write-data file-test-existence", Sbpl.Subpath("/dev/fd"));
        profile.AllowAll("pseudo-tty");
        profile.Allow(
            "file-read* file-write-data file-ioctl",
            Sbpl.Literal("/dev/tty"),
            Sbpl.Literal("/dev/ptmx"),
            Sbpl.Regex("^/dev/ttys[0-9]+$"));
        profile.Blank();
    }

    /// <summary>Denies that must win over everything before them, so they come last.</summary>
    public static void WriteFinal(ProfileWriter profile)
    {
        profile.Comment("no typing into the terminal the sandbox was started from, which outlives it");
        profile.Form("(deny file-ioctl (ioctl-command TIOCSTI))");
        profile.Comment("no reading other processes' arguments and environment, where the supervisor's secrets may be");
        profile.Deny("sysctl-read", "(sysctl-name-prefix \"kern.procargs\")");
    }
}
