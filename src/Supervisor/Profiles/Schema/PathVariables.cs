using System.Text;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// Expands the variables profile paths may use: <c>$HOME</c>, <c>$WORKDIR</c>, <c>$TMPDIR</c>, the XDG
/// base directories (which follow the caller's XDG settings, as the tools themselves do),
/// <c>${NAME}</c> forms of those, and a leading <c>~</c>. No other environment variable is expanded:
/// a profile's meaning must not change with whatever else the caller exported.
/// </summary>
internal static class PathVariables
{
    public static IReadOnlyList<string> Names { get; } =
        ["HOME", "WORKDIR", "TMPDIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"];

    /// <summary>Checks the syntax without expanding (unknown variables, <c>~user</c>, <c>..</c>, relative paths).</summary>
    public static void Validate(string raw, SourceLocation where, string key) =>
        _ = Expand(raw, where, key, name => "/" + name);

    /// <summary>Expands and checks a profile path; the result is absolute and free of <c>..</c> segments.</summary>
    public static string Expand(string raw, SourceLocation where, string key, HostEnvironment host) =>
        Expand(raw, where, key, name => ValueOf(name, host));

    /// <summary>
    /// Expands a path given on the command line: variables and '~' as in a profile, but relative
    /// paths (to the working directory) and '..' are fine, because the user typed them just now.
    /// </summary>
    public static string ExpandFlag(string raw, SourceLocation where, HostEnvironment host)
    {
        if (raw.Length == 0 || raw.Contains('\0', StringComparison.Ordinal))
        {
            throw ProfileException.At(where, "an empty path (or one containing NUL) is not a path");
        }

        var text = raw == "~" || raw.StartsWith("~/", StringComparison.Ordinal) ? "$HOME" + raw[1..] : raw;
        var expanded = Substitute(text, raw, where, where.Origin, name => ValueOf(name, host));
        return Sandbox.PathUtil.Normalize(expanded, host.WorkDir);
    }

    private static string Expand(string raw, SourceLocation where, string key, Func<string, string> lookup)
    {
        if (raw.Length == 0)
        {
            throw ProfileException.At(where, $"'{key}' has an empty path; remove the entry");
        }

        if (raw.Contains('\0', StringComparison.Ordinal))
        {
            throw ProfileException.At(where, $"'{key}' has a path containing a NUL character");
        }

        var text = raw;
        if (text == "~" || text.StartsWith("~/", StringComparison.Ordinal))
        {
            text = "$HOME" + text[1..];
        }
        else if (text.StartsWith('~'))
        {
            throw ProfileException.At(where, $"'{key}': '{raw}' refers to another user's home; only '~' and '~/...' are supported");
        }

        var expanded = Substitute(text, raw, where, key, lookup);
        if (!expanded.StartsWith('/'))
        {
            throw ProfileException.At(where, $"'{key}': '{raw}' is not an absolute path; start it with '/', '~/', '$HOME/' or '$WORKDIR/'");
        }

        if (expanded.Split('/').Contains(".."))
        {
            throw ProfileException.At(where, $"'{key}': '{raw}' contains a '..' segment; write the path without it");
        }

        return Sandbox.PathUtil.Normalize(expanded, "/");
    }

    private static string Substitute(string text, string raw, SourceLocation where, string key, Func<string, string> lookup)
    {
        var result = new StringBuilder(text.Length + 32);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$')
            {
                result.Append(text[i]);
                continue;
            }

            string name;
            if (i + 1 < text.Length && text[i + 1] == '{')
            {
                var close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    throw ProfileException.At(where, $"'{key}': '{raw}' has a '${{' without a closing '}}'");
                }

                name = text[(i + 2)..close];
                i = close;
            }
            else
            {
                var end = i + 1;
                while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
                {
                    end++;
                }

                name = text[(i + 1)..end];
                i = end - 1;
            }

            if (!Names.Contains(name))
            {
                var shown = name.Length == 0 ? "a bare '$'" : $"'${name}'";
                throw ProfileException.At(where, $"'{key}': '{raw}' uses {shown}; paths may use only {string.Join(", ", Names.Select(n => "$" + n))} and '~'");
            }

            result.Append(lookup(name));
        }

        return result.ToString();
    }

    private static string ValueOf(string name, HostEnvironment host) => name switch
    {
        "HOME" => host.Home,
        "WORKDIR" => host.WorkDir,
        "TMPDIR" => host.TmpDir,
        "XDG_CONFIG_HOME" => host.ConfigHome,
        "XDG_DATA_HOME" => host.DataHome,
        "XDG_CACHE_HOME" => host.CacheHome,
        "XDG_STATE_HOME" => host.StateHome,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a path variable"),
    };
}
