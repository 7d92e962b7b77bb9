namespace Nono.Sandbox.MacOS.Profile;

/// <summary>
/// What any program needs from the system to start and run: the system's own software (read, map,
/// run), its configuration (read), the harmless devices, and process, sysctl and IPC basics. None of
/// it holds user data. Fixed text: nothing here comes from the policy.
/// </summary>
internal static class SystemRules
{
    /// <summary>Where Homebrew installs: /opt/homebrew on Apple silicon, /usr/local on Intel.</summary>
    private static readonly string[] PackagePrefixes = ["/usr/local", "/opt/homebrew"];

    /// <summary>System software: programs, libraries, frameworks, the dyld shared cache (in /System or,
    /// on older releases, /private/var/db/dyld), the developer tools that /usr/bin shims such as git and
    /// clang run, and installed packages. Not all of /usr/local or /opt/homebrew: their var
    /// directories hold the data of locally run services (databases, caches, logs).</summary>
    private static readonly string[] SoftwareRoots =
    [
        "/usr/bin",
        "/usr/sbin",
        "/usr/lib",
        "/usr/libexec",
        "/usr/share",
        "/bin",
        "/sbin",
        "/System",
        "/Library/Apple",
        "/Library/Frameworks",
        "/Library/Developer/CommandLineTools",
        "/Applications/Xcode.app",
        "/private/var/db/dyld",
        .. PackagePrefixes.SelectMany(prefix => new[] { "bin", "sbin", "lib", "libexec", "share", "include", "opt", "Cellar", "Frameworks" }
            .Select(directory => $"{prefix}/{directory}")),
    ];

    /// <summary>Configuration read at startup: hosts, services, passwd (no hashes on macOS),
    /// TLS roots, time zones, the shell /bin/sh hands over to, packages' own configuration.</summary>
    private static readonly string[] ConfigurationRoots =
    [
        "/private/etc",
        "/private/var/db/timezone",
        "/private/var/select",
        "/Library/Preferences",
        .. PackagePrefixes.Select(prefix => $"{prefix}/etc"),
    ];

    private static readonly string[] ConfigurationFiles =
    [
        "/private/var/db/xcode_select_link",
        "/private/var/run/resolv.conf",
        "/dev/autofs_nowait",
        "/dev/random",
        "/dev/urandom",
    ];

    /// <summary>TIOCSTI, _IOW('t', 114, char), as a decimal number: older releases reject both the
    /// symbolic name and hexadecimal in an ioctl-command filter.</summary>
    internal const uint Tiocsti = 0x80000000u | (1u << 16) | ('t' << 8) | 114u;

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
        // Only the global preferences: an application's own domain may hold its tokens, and a
        // program refused a preference simply sees the default value.
        profile.Allow(
            "user-preference-read",
            "(preference-domain \"kCFPreferencesAnyApplication\")",
            "(preference-domain \".GlobalPreferences\")");
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
        profile.Blank();

        // As on Linux, where Landlock does not govern stat: path resolution, realpath and module
        // lookups walk directories outside the grants. Contents and listings stay denied, and the
        // denied paths at the end of the profile refuse even this.
        profile.Comment("file attributes (stat, readlink, existence) anywhere, but no contents and no listings");
        profile.AllowAll("file-read-metadata file-test-existence");
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
        profile.Comment("no typing into the terminal the sandbox was started from, which outlives it (TIOCSTI)");
        profile.Form($"(deny file-ioctl (ioctl-command {Tiocsti}))");
        profile.Comment("no reading other processes' arguments and environment, where the supervisor's secrets may be");
        profile.Deny("sysctl-read", "(sysctl-name-prefix \"kern.procargs\")");
    }
}
