using System.Text;
using Nono.Proxy.Http;
using Nono.Proxy.Upstream;

namespace Nono.Proxy.Routing;

/// <summary>
/// Checks the phantom token where a route's inject mode expects it (header, URL path, query parameter or
/// Basic password) and prepares the request with the real credential in its place. A request whose
/// phantom is missing or wrong is refused by the caller and never forwarded.
/// </summary>
internal static class PhantomToken
{
    internal readonly record struct Applied(RequestRewrite Rewrite, string Path, string? Query);

    public static bool TryApply(RouteState route, SessionToken token, RequestHead head, string path, string? query, out Applied applied)
    {
        var config = route.Config;
        var secret = route.Secret?.Reveal();
        var rewrite = new RequestRewrite();
        applied = new Applied(rewrite, path, query);
        switch (config.InjectMode)
        {
            case InjectMode.Header:
                var (pre, post) = Split(config.CredentialFormat);
                var value = head.Get(config.InjectHeader);
                if (value is null || value.Length < pre.Length + post.Length
                    || !value.StartsWith(pre, StringComparison.OrdinalIgnoreCase) || !value.EndsWith(post, StringComparison.Ordinal)
                    || !token.Matches(value.AsSpan(pre.Length, value.Length - pre.Length - post.Length)))
                    return false;
                rewrite.Drop.Add(config.InjectHeader);
                if (secret is not null)
                    rewrite.Add.Add(new HeaderField(config.InjectHeader, pre + secret + post));
                return true;

            case InjectMode.BasicAuth:
                var auth = head.Get("Authorization");
                if (auth is null || !auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)
                    || !SessionToken.TryDecodeBasic(auth.AsSpan(6).Trim(), out var user, out var password) || !token.Matches(password))
                    return false;
                rewrite.Drop.Add("Authorization");
                if (secret is not null)
                {
                    var pair = secret.Contains(':', StringComparison.Ordinal) ? secret : user + ":" + secret;
                    rewrite.Add.Add(new HeaderField("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair))));
                }

                return true;

            case InjectMode.UrlPath:
                if (!TryReplaceInPath(config, token, path, secret ?? "", out var newPath))
                    return false;
                applied = applied with { Path = newPath };
                return true;

            case InjectMode.QueryParam:
                if (!TryReplaceInQuery(config.QueryParamName!, token, query, secret ?? "", out var newQuery))
                    return false;
                applied = applied with { Query = newQuery };
                return true;

            default:
                return false;
        }
    }

    private static (string Pre, string Post) Split(string format)
    {
        var i = format.IndexOf("{}", StringComparison.Ordinal);
        return i < 0 ? (format, "") : (format[..i], format[(i + 2)..]);
    }

    private static bool TryReplaceInPath(RouteConfig config, SessionToken token, string path, string secret, out string result)
    {
        result = path;
        var (pre, post) = Split(config.PathPattern!);
        var start = path.IndexOf(pre, StringComparison.Ordinal);
        if (start < 0)
            return false;
        var tokenStart = start + pre.Length;
        var tokenEnd = post.Length > 0 ? path.IndexOf(post, tokenStart, StringComparison.Ordinal) : path.IndexOf('/', tokenStart);
        if (tokenEnd < 0)
        {
            if (post.Length > 0)
                return false;
            tokenEnd = path.Length;
        }

        if (!token.Matches(path.AsSpan(tokenStart, tokenEnd - tokenStart)))
            return false;

        var (rpre, rpost) = Split(config.PathReplacement ?? config.PathPattern!);
        result = path[..start] + rpre + Uri.EscapeDataString(secret) + rpost + path[(tokenEnd + post.Length)..];
        return true;
    }

    private static bool TryReplaceInQuery(string name, SessionToken token, string? query, string secret, out string? result)
    {
        result = query;
        if (string.IsNullOrEmpty(query))
            return false;
        var parts = query.Split('&');
        var found = false;
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? parts[i] : parts[i][..eq]);
            if (key != name)
                continue;
            var value = eq < 0 ? "" : Uri.UnescapeDataString(parts[i][(eq + 1)..].Replace('+', ' '));
            if (found || !token.Matches(value))
                return false;
            found = true;
            parts[i] = Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(secret);
        }

        result = string.Join('&', parts);
        return found;
    }
}
