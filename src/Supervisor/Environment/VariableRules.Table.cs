namespace Nono.Supervisor.Env;

internal static partial class VariableRules
{
    private const VariableKind Code = VariableKind.CodeInjection;
    private const VariableKind Ambient = VariableKind.AmbientCredential;
    private const VariableKind Secret = VariableKind.Secret;
    private const VariableKind Proxy = VariableKind.ProxyRouting;
    private const VariableKind Trust = VariableKind.TrustStore;

    /// <summary>Ordered: the first match decides, so exact names come before broad suffix patterns.</summary>
    public static IReadOnlyList<VariableRule> All { get; } =
    [
        // Dynamic loaders: run before any program code, in every dynamically linked process.
        new("LD_*", Code, "glibc/musl loader: LD_PRELOAD and LD_AUDIT load shared objects into every program, LD_LIBRARY_PATH redirects library lookup; the rest are loader debug knobs"),
        new("DYLD_*", Code, "macOS dyld: DYLD_INSERT_LIBRARIES and the DYLD_*_PATH variables load or substitute libraries"),
        new("GLIBC_TUNABLES", Code, "parsed by the glibc loader in every process; its parser has had memory-corruption bugs"),
        new("GCONV_PATH", Code, "glibc loads iconv converters (shared objects) from these directories"),
        new("OPENSSL_CONF", Code, "an OpenSSL configuration can load engines and providers (shared objects) into every TLS client"),
        new("OPENSSL_ENGINES", Code, "directory OpenSSL loads engines (shared objects) from"),
        new("OPENSSL_MODULES", Code, "directory OpenSSL loads providers (shared objects) from"),
        new("GTK_MODULES", Code, "shared objects loaded into every GTK program"),
        new("GTK3_MODULES", Code, "shared objects loaded into every GTK 3 program"),
        new("GIO_EXTRA_MODULES", Code, "shared objects loaded by GLib's GIO"),
        new("QT_PLUGIN_PATH", Code, "directories Qt loads plugins (shared objects) from"),

        // Shells: files sourced or strings evaluated when a shell starts or prompts.
        new("BASH_ENV", Code, "file sourced by every non-interactive bash, i.e. every 'bash -c' and script"),
        new("ENV", Code, "file sourced by interactive sh, dash and ksh, and by bash in POSIX mode"),
        new("BASH_FUNC_*", Code, "exported bash functions, imported by every bash; they can shadow any command name"),
        new("SHELLOPTS", Code, "turns on bash options at start-up; with xtrace, PS4 command substitutions run"),
        new("BASHOPTS", Code, "turns on bash shopt options at start-up"),
        new("PS4", Code, "expanded, command substitutions included, for every traced command"),
        new("PROMPT_COMMAND", Code, "command run by bash before every interactive prompt"),
        new("ZDOTDIR", Code, "directory zsh reads .zshenv from, for every zsh including scripts"),
        new("IFS", Code, "field separators for word splitting; some sh implementations import it, changing how scripts parse"),

        // Language runtimes: options and search paths that load code before or instead of the program's own.
        new("NODE_OPTIONS", Code, "--require, --import and --loader run modules in every node process"),
        new("NODE_PATH", Code, "extra module directories searched by require(), which can shadow packages"),
        new("PYTHONSTARTUP", Code, "file run by every interactive python"),
        new("PYTHONPATH", Code, "prepended to sys.path, so it can shadow the standard library and packages"),
        new("PYTHONHOME", Code, "relocates the standard library python imports"),
        new("PYTHONUSERBASE", Code, "user site-packages directory; its .pth files run at every python start-up"),
        new("PYTHONINSPECT", Code, "after the script ends, python reads and runs code from standard input"),
        new("PYTHONBREAKPOINT", Code, "names a callable that breakpoint() imports and calls"),
        new("PERL5OPT", Code, "-M/-m options load modules into every perl"),
        new("PERL5LIB", Code, "module search path for perl, which can shadow modules"),
        new("PERLLIB", Code, "module search path for perl, which can shadow modules"),
        new("PERL5DB", Code, "debugger code perl runs under -d"),
        new("RUBYOPT", Code, "-r options require libraries into every ruby"),
        new("RUBYLIB", Code, "library search path for ruby, which can shadow libraries"),
        new("JAVA_TOOL_OPTIONS", Code, "-javaagent/-agentpath load agents into every JVM"),
        new("_JAVA_OPTIONS", Code, "options, agents included, applied to every JVM"),
        new("JDK_JAVA_OPTIONS", Code, "options, agents included, applied by the java launcher"),
        new("CLASSPATH", Code, "class search path, which can shadow classes"),
        new("DOTNET_STARTUP_HOOKS", Code, "assemblies whose code runs before Main in every .NET program"),
        new("DOTNET_ADDITIONAL_DEPS", Code, "extra dependency manifests that add assemblies to every .NET program"),
        new("CORECLR_ENABLE_PROFILING", Code, "loads a native profiler into every .NET program"),
        new("CORECLR_PROFILER*", Code, "names and locates the native profiler .NET loads"),

        // git: configuration and helper commands that git runs on ordinary commands.
        new("GIT_CONFIG_*", Code, "GIT_CONFIG_COUNT/KEY/VALUE, GLOBAL and SYSTEM inject settings such as core.fsmonitor and core.hooksPath, which run commands on 'git status'"),
        new("GIT_CONFIG", Code, "configuration file git reads, with the same reach as GIT_CONFIG_*"),
        new("GIT_CONFIG_PARAMETERS", Code, "the internal form of 'git -c', injecting any setting"),
        new("GIT_EXEC_PATH", Code, "directory git runs its sub-commands from"),
        new("GIT_SSH", Code, "program git runs for ssh remotes"),
        new("GIT_SSH_COMMAND", Code, "shell command git runs for ssh remotes"),
        new("GIT_PROXY_COMMAND", Code, "command git runs for git:// connections"),
        new("GIT_EXTERNAL_DIFF", Code, "program every 'git diff' runs"),
        new("GIT_ASKPASS", Code, "program git runs to ask for a password"),
        new("SSH_ASKPASS", Code, "program ssh runs to ask for a passphrase"),

        // The user's agents and sessions.
        new("SSH_AUTH_SOCK", Ambient, "the ssh-agent socket: signs with the user's SSH keys"),
        new("GPG_AGENT_INFO", Ambient, "the gpg-agent socket: decrypts and signs with the user's keys"),
        new("DBUS_SESSION_BUS_ADDRESS", Ambient, "the session bus reaches the keyring (Secret Service) and systemd --user, which starts unsandboxed processes"),
        new("KRB5CCNAME", Ambient, "the Kerberos ticket cache"),
        new("DISPLAY", Ambient, "the X11 display: an X client can read keystrokes and type into the user's other windows"),
        new("XAUTHORITY", Ambient, "the X11 authority cookie file"),
        new("WAYLAND_DISPLAY", Ambient, "the Wayland compositor socket"),

        // Routing: the proxy sets its own; a previous session's token is worthless and confusing.
        new("HTTP_PROXY", Proxy, "replaced by nono's proxy"),
        new("HTTPS_PROXY", Proxy, "replaced by nono's proxy"),
        new("ALL_PROXY", Proxy, "replaced by nono's proxy"),
        new("NO_PROXY", Proxy, "would send listed hosts around nono's proxy"),
        new("FTP_PROXY", Proxy, "replaced by nono's proxy"),
        new("RSYNC_PROXY", Proxy, "replaced by nono's proxy"),
        new("GRPC_PROXY", Proxy, "replaced by nono's proxy"),
        new("NPM_CONFIG_PROXY", Proxy, "npm's own proxy setting, which overrides HTTP_PROXY"),
        new("NPM_CONFIG_HTTPS_PROXY", Proxy, "npm's own proxy setting, which overrides HTTPS_PROXY"),
        new("NPM_CONFIG_NOPROXY", Proxy, "npm's own bypass list"),
        new("YARN_HTTP_PROXY", Proxy, "yarn's own proxy setting"),
        new("YARN_HTTPS_PROXY", Proxy, "yarn's own proxy setting"),
        new("NONO_PROXY_TOKEN", Proxy, "an enclosing session's token"),

        // Trust stores: replaced together when the proxy intercepts TLS, so no client keeps a stale bundle.
        new("SSL_CERT_FILE", Trust, "OpenSSL and many clients"),
        new("SSL_CERT_DIR", Trust, "OpenSSL and many clients"),
        new("REQUESTS_CA_BUNDLE", Trust, "python requests"),
        new("CURL_CA_BUNDLE", Trust, "curl"),
        new("NODE_EXTRA_CA_CERTS", Trust, "node"),
        new("GIT_SSL_CAINFO", Trust, "git"),
        new("GIT_SSL_CAPATH", Trust, "git"),
        new("PIP_CERT", Trust, "pip"),
        new("AWS_CA_BUNDLE", Trust, "AWS SDKs and CLI"),
        new("CARGO_HTTP_CAINFO", Trust, "cargo"),
        new("DENO_CERT", Trust, "deno"),
        new("NIX_SSL_CERT_FILE", Trust, "nix"),

        // Names that conventionally hold secrets (after the exact names above, which win).
        new("*_KEY", Secret, "API, access, signing and private keys"),
        new("*_KEY_ID", Secret, "half of an access key pair"),
        new("*_TOKEN", Secret, "access, session and bot tokens"),
        new("*_SECRET", Secret, "client and shared secrets"),
        new("*_SECRETS", Secret, "bundles of secrets"),
        new("*PASSWORD", Secret, "passwords, PGPASSWORD included"),
        new("*PASSWD", Secret, "passwords"),
        new("MYSQL_PWD", Secret, "the MySQL client's password"),
        new("*_CREDENTIALS", Secret, "credential files and blobs, GOOGLE_APPLICATION_CREDENTIALS included"),
        new("*_AUTH", Secret, "authentication strings such as npm's _auth"),
        new("*DATABASE_URL", Secret, "connection strings, which usually embed a password"),
        new("*_PASS", Secret, "passwords under a short name (DB_PASS, SMTP_PASS)"),
        new("*_PASSPHRASE", Secret, "key passphrases"),
        new("*_PAT", Secret, "personal access tokens (GITHUB_PAT)"),
        new("*_AUTHTOKEN", Secret, "auth tokens, npm_config__authToken included"),
        new("*_CONNECTION_STRING", Secret, "connection strings with account keys (AZURE_STORAGE_CONNECTION_STRING)"),
        new("*_DSN", Secret, "data source names that carry a key or password (SENTRY_DSN)"),
        new("*_WEBHOOK_URL", Secret, "webhook URLs, whose path is the credential (SLACK_WEBHOOK_URL)"),
        new("*_AUTH_CONFIG", Secret, "registry credentials (DOCKER_AUTH_CONFIG)"),
    ];
}
