using Nono.Sandbox;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Toolchains;

/// <summary>
/// The directories under the home where developers' tools live, granted read + execute under every
/// profile so that the programs on the user's PATH run: the version managers' roots (a pyenv shim
/// runs pyenv, which runs a python under ~/.pyenv/versions; a cargo in ~/.cargo/bin is rustup, which
/// runs a toolchain under ~/.rustup), and every directory PATH names below the home. Never
/// writable: a program that could write there could replace the tools the user runs outside. What
/// does not exist is skipped; sensitive paths are never among them; the home itself is never one.
/// A root that also keeps secrets (cargo's registry tokens in ~/.cargo/credentials.toml) is granted
/// part by part, leaving them out, rather than whole with the secret masked: masking needs a mount
/// namespace, and without one every session would be refused.
/// </summary>
internal static class ToolchainDirectories
{
    public static readonly SourceLocation Origin = new("toolchain directories (built in)", 0, 0);

    /// <summary>Each root: the variable that moves it, and where it is by default (relative to the home).</summary>
    private static readonly (string? Variable, string Default)[] Roots =
    [
        ("PYENV_ROOT", ".pyenv"),
        ("RUSTUP_HOME", ".rustup"),
        ("CARGO_HOME", ".cargo"),
        ("NVM_DIR", ".nvm"),
        ("VOLTA_HOME", ".volta"),
        ("BUN_INSTALL", ".bun"),
        ("DENO_INSTALL", ".deno"),
        ("GOPATH", "go"),
        (null, "sdk"), // Go toolchains fetched by golang.org/dl
        ("SDKMAN_DIR", ".sdkman"),
        ("ASDF_DATA_DIR", ".asdf"),
        ("MISE_DATA_DIR", ".local/share/mise"),
        ("PNPM_HOME", ".local/share/pnpm"),
        ("PIPX_HOME", ".local/share/pipx"),
        (null, ".local/share/uv"),
        (null, ".local/bin"),
        ("DOTNET_ROOT", ".dotnet"),
        (null, ".nix-profile"),
    ];

    /// <summary>Files the version managers read to choose a version (asdf's and mise's global choice).</summary>
    private static readonly string[] Files = [".tool-versions"];

    /// <summary>Roots granted only in these parts (directories or files), because the rest holds credentials or the user's own files.</summary>
    private static readonly Dictionary<string, string[]> PartsOnly = new(StringComparer.Ordinal)
    {
        [".cargo"] = ["bin", "registry", "git", "config.toml", "config", "env"],

        // GOPATH also holds the user's own code (src) in GOPATH mode: only the tools and the module cache.
        ["go"] = ["bin", "pkg/mod"],
    };

    /// <summary>Filesystem entries to add to a profile's: read for each existing directory, deny for secrets in them.</summary>
    public static IReadOnlyList<PathEntry> Entries(HostEnvironment host)
    {
        var homes = host.SensitiveHomes();
        var directories = new List<string>();
        var files = new List<string>();
        foreach (var (variable, relative) in Roots)
        {
            var configured = variable is null ? null : host.Variables.GetValueOrDefault(variable);
            var roots = string.IsNullOrEmpty(configured) ? [Path.Join(host.Home, relative)] : configured.Split(':');
            if (PartsOnly.TryGetValue(relative, out var parts))
            {
                var inside = roots.SelectMany(root => parts.Select(part => Path.Join(root, part))).ToArray();
                directories.AddRange(inside.Where(Directory.Exists));
                files.AddRange(inside.Where(File.Exists));
            }
            else
            {
                directories.AddRange(roots);
            }
        }

        directories.AddRange((host.Variables.GetValueOrDefault("PATH") ?? string.Empty).Split(':'));

        var entries = new List<PathEntry>();
        foreach (var directory in directories.Select(Clean).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (IsToolchainPlace(directory, homes) && Directory.Exists(directory))
            {
                entries.Add(new PathEntry(PathRule.Read, directory, Origin));
            }
        }

        files.AddRange(Files.Select(file => Path.Join(host.Home, file)));
        foreach (var file in files.Select(Clean).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (IsToolchainPlace(file, homes) && File.Exists(file))
            {
                entries.Add(new PathEntry(PathRule.ReadFile, file, Origin));
            }
        }

        return entries;
    }

    /// <summary>Strictly below one of the user's homes ($HOME, or the password database's when they
    /// differ) and not a sensitive path. Tools outside the homes are the system's (granted by the base
    /// layer, or by a profile).</summary>
    private static bool IsToolchainPlace(string directory, SensitiveHomes homes) =>
        homes.Own.Any(home => directory != home && PathUtil.IsSameOrBelow(directory, home))
        && !homes.Covers(directory)
        && !homes.Own.Any(own => PathUtil.IsSameOrBelow(own, directory));

    /// <summary>An absolute, normalised path that the profile path rules accept, or null.</summary>
    private static string? Clean(string path)
    {
        if (!Path.IsPathFullyQualified(path) || path.Contains('$', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var normalized = PathUtil.Normalize(path, "/");
        return normalized.Split('/').Contains("..") ? null : normalized;
    }
}
