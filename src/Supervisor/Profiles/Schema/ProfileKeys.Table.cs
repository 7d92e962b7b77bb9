namespace Nono.Supervisor.Profiles;

/// <summary>
/// The top-level keys and the sections other than <c>network</c>. The order of the rows is the order
/// <c>nono profile show</c> writes the keys in.
/// </summary>
internal static partial class ProfileKeys
{
    private const KeyClass E = KeyClass.Enforced;
    private const KeyClass I = KeyClass.Ignored;
    private const KeyClass R = KeyClass.Refused;

    private const string NoApproval = "nono asks nobody at run time: a session's grants are fixed when it starts";
    private const string NoProviders = "credentials come from network.credentials and custom_credentials routes; OAuth capture and provider routes are not implemented";

    public static IReadOnlyList<ProfileKey> All { get; } = [.. TopKeys, .. NetworkKeys, .. CredentialKeys, .. OtherKeys];

    private static IEnumerable<ProfileKey> TopKeys =>
    [
        new("$schema", E, "editor hint for validation; no effect on the sandbox") { Held = KeyHolding.CheckedOnly },
        new("extends", E, "a profile name or path, or a list of them (null: none); parents are merged first, lists append, maps merge, scalars override") { Held = KeyHolding.ResolvedFirst },
        new("description", E, "one line shown by 'nono profile list'")
        {
            Field = new ScalarField<string>(spec => spec.Description, (spec, value) => spec with { Description = value }, (json, name, value) => json.WriteString(name, value)),
        },
        new("meta", E, "informational"),
        new("meta.name", E, "informational (string or null)") { Field = SpecFields.MetaText(meta => meta.Name, (meta, value) => meta with { Name = value }) },
        new("meta.version", E, "informational (string or null)") { Field = SpecFields.MetaText(meta => meta.Version, (meta, value) => meta with { Version = value }) },
        new("meta.description", E, "informational; shown by 'nono profile list' when 'description' is absent")
        {
            Field = SpecFields.MetaText(meta => meta.Description, (meta, value) => meta with { Description = value }),
        },
        new("meta.author", E, "informational (string or null)") { Field = SpecFields.MetaText(meta => meta.Author, (meta, value) => meta with { Author = value }) },

        new("groups", E, "filesystem groups by nono's names"),
        new("groups.include", E, "adds each group's grants and denies for this platform (groups of another platform add nothing)")
        {
            Field = SpecFields.Strings(spec => spec.IncludeGroups, (spec, value) => spec with { IncludeGroups = value }),
        },
        new("groups.exclude", E, "removes groups from the included set; a required group (the credential, keychain, browser and shell denies) cannot be excluded")
        {
            Field = SpecFields.Strings(spec => spec.ExcludeGroups, (spec, value) => spec with { ExcludeGroups = value }),
        },

        new("workdir", E, "the working directory"),
        new("workdir.access", E, "none, read, write or readwrite: grants $WORKDIR with that access")
        {
            Field = SpecFields.Text(spec => spec.WorkdirAccess, (spec, value) => spec with { WorkdirAccess = value }),
        },

        new("security", E, "process isolation modes"),
        new("security.signal_mode", E, "isolated or allow_same_sandbox: signals reach only processes of this sandbox (Landlock signal scoping); allow_all is refused") { Field = SpecFields.Security },
        new("security.process_info_mode", E, "isolated or allow_same_sandbox: other processes cannot be traced or inspected (ptrace refused); allow_all is refused") { Field = SpecFields.Security },
        new("security.ipc_mode", E, "full: System V and POSIX IPC inside the sandbox; shared_memory_only is refused on Linux (semaphores cannot be taken away alone)") { Field = SpecFields.Security },
        new("security.capability_elevation", E, "false only: grants never grow during a session; true is refused") { Held = KeyHolding.CheckedOnly },
        new("security.approval_backends", R, NoApproval),
        new("security.approval_defaults", R, NoApproval),
        new("security.wsl2_proxy_policy", E, "error only (nono refuses rather than run with weaker network confinement); insecure_proxy is refused") { Field = SpecFields.Security },

        new("filesystem", E, "path grants and denies"),
        new("filesystem.allow", E, "read, write and execute on a directory (a file named here is granted alone)")
        {
            Field = SpecFields.Paths, Flag = FlagLayer.Paths(FlagNames.Allow, flags => flags.Allow, PathRule.Allow),
        },
        new("filesystem.read", E, "read and execute on a directory or file") { Field = SpecFields.Paths, Flag = FlagLayer.Paths(FlagNames.Read, flags => flags.Read, PathRule.Read) },
        new("filesystem.write", E, "write only (no read, no execute) on a directory or file") { Field = SpecFields.Paths, Flag = FlagLayer.Paths(FlagNames.Write, flags => flags.Write, PathRule.Write) },
        new("filesystem.allow_file", E, "read, write and execute on one file")
        {
            Field = SpecFields.Paths, Flag = FlagLayer.Paths(FlagNames.AllowFile, flags => flags.AllowFile, PathRule.AllowFile),
        },
        new("filesystem.read_file", E, "read and execute on one file") { Field = SpecFields.Paths, Flag = FlagLayer.Paths(FlagNames.ReadFile, flags => flags.ReadFile, PathRule.ReadFile) },
        new("filesystem.write_file", E, "write only on one file") { Field = SpecFields.Paths, Flag = FlagLayer.Paths(FlagNames.WriteFile, flags => flags.WriteFile, PathRule.WriteFile) },
        new("filesystem.deny", E, "hidden even inside a grant (masked in the mount namespace); a grant inside a deny is an error")
        {
            Field = SpecFields.Paths, Flag = FlagLayer.Paths(FlagNames.Deny, flags => flags.Deny, PathRule.Deny),
        },
        new("filesystem.bypass_protection", E, "exempts these paths from group denies (they still need a grant); nono's own sensitive paths are never exempted")
        {
            Field = SpecFields.Strings(spec => spec.BypassProtection, (spec, value) => spec with { BypassProtection = value }),
        },
        new("filesystem.unix_socket", R, UnixSocketGrants),
        new("filesystem.unix_socket_bind", R, UnixSocketGrants),
        new("filesystem.unix_socket_dir", R, UnixSocketGrants),
        new("filesystem.unix_socket_dir_bind", R, UnixSocketGrants),
        new("filesystem.unix_socket_subtree", R, UnixSocketGrants),
        new("filesystem.unix_socket_subtree_bind", R, UnixSocketGrants),
        new("filesystem.suppress_save_prompt", I, "nono has no save-profile prompt"),
        new("filesystem.ignore", I, "nono has no save-profile prompt"),

        new("commands", E, "programs the session may not run"),
        new("commands.deny", E, "each program on PATH and in the system directories is masked in the sandbox's mount namespace, so it cannot be executed or read")
        {
            Field = SpecFields.Strings(spec => spec.DenyCommands, (spec, value) => spec with { DenyCommands = value }),
        },
        new("commands.allow", E, "taken out of the denied programs (after groups)")
        {
            Field = SpecFields.Strings(spec => spec.AllowCommands, (spec, value) => spec with { AllowCommands = value }),
        },
    ];

    /// <summary>Why per-path socket grants are refused: Landlock before ABI 8 cannot mediate connect() by path.</summary>
    internal const string UnixSocketGrants =
        "connecting to a named unix socket cannot be limited to a path here: Landlock up to ABI 7 has no right for connect() (MAKE_SOCK covers only creating the socket file; " +
        "a per-path connect right, LANDLOCK_ACCESS_FS_RESOLVE_UNIX, arrives with ABI 8), so the grant would open every socket or none. " +
        "Use --allow-unix-sockets (every unix socket the program can name), or reach the service on a loopback TCP port with network.connect_port";

    private static IEnumerable<ProfileKey> OtherKeys =>
    [
        new("environment", E, "the program's environment (null: the defaults)"),
        new("environment.allow_vars", E, "names or globs (LC_*, AWS_*) inherited; with any, only those pass")
        {
            Field = SpecFields.EnvironmentStrings(environment => environment.AllowVars, (environment, value) => environment with { AllowVars = value }),
            Flag = new(FlagNames.AllowVar, (flags, spec) => spec with
            {
                Environment = spec.Environment with { AllowVars = FlagLayer.Checked(flags.AllowVars, FlagNames.AllowVar, FlagLayer.RequirePattern) },
            }),
        },
        new("environment.deny_vars", E, "names or globs never inherited; wins over allow_vars")
        {
            Field = SpecFields.EnvironmentStrings(environment => environment.DenyVars, (environment, value) => environment with { DenyVars = value }),
            Flag = new(FlagNames.DenyVar, (flags, spec) => spec with
            {
                Environment = spec.Environment with { DenyVars = FlagLayer.Checked(flags.DenyVars, FlagNames.DenyVar, FlagLayer.RequirePattern) },
            }),
        },
        new("environment.set_vars", E, "variables set outright")
        {
            Field = new MapField<SetVar>(
                spec => spec.Environment.SetVars, (spec, value) => spec with { Environment = spec.Environment with { SetVars = value } }, set => set.Name, ProfileJsonWriter.WriteSetVars),
            Flag = new(FlagNames.SetVar, (flags, spec) => spec with { Environment = spec.Environment with { SetVars = [.. flags.SetVars.Select(FlagLayer.SetVar)] } }),
        },
        new("env_credentials", R, "it puts real secrets in the program's environment, which nono never does; use custom_credentials with env_var, which gives the program a phantom token"),
        new("secrets", R, "alias of env_credentials: real secrets in the program's environment, which nono never does"),

        new("platform_overrides", E, "patches merged after extends for this platform only (linux, macos; windows has no effect)")
        {
            Field = new ListField<KeyValuePair<string, ProfileSpec>>(
                spec => spec.PlatformOverrides,
                (spec, value) => spec with { PlatformOverrides = value },
                patch => patch, // the same patch reached twice (through two parents) is applied once
                ProfileJsonWriter.WritePlatformOverrides),
        },
        new("platform_overrides.linux", E, "applied on Linux") { Held = KeyHolding.InParentField },
        new("platform_overrides.macos", E, "applied on macOS") { Held = KeyHolding.InParentField },
        new("platform_overrides.windows", E, "never applied: nono runs on Linux and macOS") { Held = KeyHolding.InParentField },

        new("linux", E, "Linux hardening controls"),
        new("linux.sandbox_policy", E, "auto or landlock (what nono does); external is refused") { Held = KeyHolding.CheckedOnly },
        new("linux.af_unix_mediation", E, "off: unix sockets follow --allow-unix-sockets; pathname is refused (per-path socket grants cannot be enforced, see filesystem.unix_socket)") { Held = KeyHolding.CheckedOnly },

        new("interactive", I, "deprecated in nono 0.74 too; the terminal is kept as given"),
        new("diagnostics", I, "nono's diagnostics are not configurable"),
        new("diagnostics.suppress_system_services", I, "nono's diagnostics are not configurable"),
        new("hooks", I, "nono installs no hooks into the programs it runs"),
        new("session_hooks", I, "nono runs no scripts outside the sandbox around a session"),
        new("rollback", I, "nono takes no undo snapshots"),
        new("undo", I, "nono takes no undo snapshots"),
        new("open_urls", I, "URLs are not opened on the program's behalf"),
        new("allow_launch_services", I, "macOS LaunchServices opens are never allowed"),
        new("allow_gpu", I, "no GPU access is granted; the program runs without it"),
        new("packs", I, "packs are not supported; their profiles must be inlined"),
        new("skipdirs", I, "nono runs no trust scan and takes no snapshots"),
        new("binary", I, "the command is always given after --"),
        new("allow_parent_of_protected", I, "write access to the home or above it is always refused"),
        new("unsafe_macos_seatbelt_rules", E, "ignored on Linux (as in nono); refused on macOS: raw Seatbelt rules are not applied") { Held = KeyHolding.CheckedOnly },
        new("command_args", R, "nono does not add arguments to the command; give them after --"),
        new("command_policies", R, "per-command sandboxes and approvals are not implemented"),
        new("credential_capture", R, NoProviders),
        new("credential_providers", R, NoProviders),
        new("credential_routes", R, NoProviders),
    ];
}
