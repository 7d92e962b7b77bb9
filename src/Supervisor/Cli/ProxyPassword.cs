namespace Nono.Supervisor.Cli;

/// <summary>
/// Where `nono proxy` takes a fixed token from. <c>--pass</c> puts it on the command line, where every
/// local user reads it (<c>ps</c>, <c>/proc/PID/cmdline</c>); since the token is also every route's
/// phantom token, that is a way to spend the operator's real keys. A file, an environment variable or
/// standard input keep it out of sight; <c>--pass</c> still works, with a warning.
/// </summary>
internal static class ProxyPassword
{
    /// <summary>Shortest fixed token accepted: it stands in for real credentials, so it must not be guessable.</summary>
    public const int MinimumLength = Nono.Proxy.ProxyConfig.MinimumFixedTokenLength;

    public const string CommandLineWarning =
        "warning: --pass is visible to every local user (ps, /proc/PID/cmdline); use --pass-file, --pass-env or --pass-stdin";

    /// <summary>How many of the four sources were given.</summary>
    public static int SourceCount(ProxyCommandOptions options) =>
        (options.HasPass ? 1 : 0) + (options.PassFile is null ? 0 : 1) + (options.PassEnv is null ? 0 : 1) + (options.PassStdin ? 1 : 0);

    /// <summary>The fixed token (null: a random one), or an error saying what is wrong and how to fix it.</summary>
    public static string? Resolve(ProxyCommandOptions options, Func<string, string?> environment, TextReader stdin, out string? error)
    {
        error = null;
        string? value;
        string source;
        if (options.HasPass)
        {
            (value, source) = (options.Pass ?? "", "--pass");
        }
        else if (options.PassFile is { } path)
        {
            source = $"--pass-file {path}";
            try
            {
                value = TrimLineEnd(File.ReadAllText(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                error = $"--pass-file {path}: cannot read it ({e.Message})";
                return null;
            }
        }
        else if (options.PassEnv is { } name)
        {
            source = $"--pass-env {name}";
            value = environment(name);
            if (value is null)
            {
                error = $"--pass-env {name}: the variable is not set";
                return null;
            }
        }
        else if (options.PassStdin)
        {
            source = "--pass-stdin";
            value = TrimLineEnd(stdin.ReadLine() ?? "");
        }
        else
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(value))
            error = $"{source}: the token must not be empty (an empty password is no password); omit it for a random token";
        else if (value.Length < MinimumLength)
            error = $"{source}: the token must be at least {MinimumLength} characters (it stands in for real credentials); omit it for a random one";
        else if (value.Any(char.IsControl))
            error = $"{source}: the token must not contain control characters";
        return error is null ? value : null;
    }

    private static string TrimLineEnd(string text) => text.TrimEnd('\n').TrimEnd('\r');
}
