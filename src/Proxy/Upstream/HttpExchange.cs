using System.Net;
using System.Security.Authentication;
using Nono.Proxy.Filter;
using Nono.Proxy.Http;
using Nono.Proxy.Server;

namespace Nono.Proxy.Upstream;

/// <summary>
/// Sends one client request upstream through a pooled <see cref="HttpMessageInvoker"/> and streams
/// the response back. Shared by plain forward requests, reverse routes and intercepted requests.
/// Returns whether the client connection may carry another request.
/// </summary>
internal static class HttpExchange
{
    private static readonly HashSet<string> ContentHeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Encoding", "Content-Language", "Content-Location", "Content-Disposition",
        "Content-MD5", "Content-Range", "Expires", "Last-Modified", "Allow",
    };

    public static async ValueTask<bool> ForwardAsync(
        RequestContext ctx, Uri target, HttpMessageInvoker invoker, RequestRewrite rewrite, AuditTarget audit, CancellationToken ct)
    {
        var head = ctx.Head;
        using var request = new HttpRequestMessage(HttpMethod.Parse(head.Method), target);
        if (target.Scheme == Uri.UriSchemeHttps)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        }
        else
        {
            request.Version = HttpVersion.Version11;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        BodyContent? content = null;
        if (head.HasBody)
            request.Content = content = new BodyContent(ctx.Body, head.ExpectContinue ? ctx.Front : null);
        else if (head.ContentLength == 0 && head.Method is "POST" or "PUT" or "PATCH")
            request.Content = new ByteArrayContent([]);

        CopyRequestHeaders(head, request, rewrite, ctx.Runtime.Token);

        HttpResponseMessage response;
        try
        {
            response = await invoker.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return await FailAsync(ctx, e, audit, ct).ConfigureAwait(false);
        }

        using (response)
        {
            // Recorded before the client can see the response; a failure mid-body adds a second event.
            Record(ctx, audit, (int)response.StatusCode, null);
            bool completed;
            try
            {
                completed = await ctx.Front.SendResponseAsync(response, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
            {
                completed = false;
            }

            if (!completed)
            {
                Record(ctx, audit, (int)response.StatusCode, "response not completed (upstream or client failed mid-body)");
                // A truncated response must not look complete: close the connection instead of ending it cleanly.
                ctx.Front.Abort();
                return false;
            }

            return await BodyFinishedAsync(ctx, content).ConfigureAwait(false) && ctx.Front.KeepsAlive(response);
        }
    }

    /// <summary>
    /// Copies end-to-end headers. A header that carries the session token is never sent upstream (a client
    /// may put its phantom token in more places than the route replaces it; the token must not leave).
    /// </summary>
    private static void CopyRequestHeaders(RequestHead head, HttpRequestMessage request, RequestRewrite rewrite, SessionToken token)
    {
        var named = HopByHop.NamedByConnection(head.Headers);
        foreach (var (name, value) in head.Headers)
        {
            if (HopByHop.IsHopByHop(name, named) || rewrite.Drop.Contains(name)
                || name.Equals("Host", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Expect", StringComparison.OrdinalIgnoreCase)
                || token.AppearsInHeader(value))
                continue;
            if (ContentHeaderNames.Contains(name))
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            else
                request.Headers.TryAddWithoutValidation(name, value);
        }

        foreach (var (name, value) in rewrite.Add)
            request.Headers.TryAddWithoutValidation(name, value);
    }

    private static async ValueTask<bool> BodyFinishedAsync(RequestContext ctx, BodyContent? content)
    {
        if (content is null)
            return true;
        if (!ctx.Body.IsComplete)
        {
            // The upstream answered without taking the whole body: what is left cannot be skipped safely.
            ctx.Front.Abort();
            return false;
        }

        try
        {
            // The body reader may still be returning its last buffer to the pipe.
            await content.Completion.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            ctx.Front.Abort();
            return false;
        }
    }

    private static async ValueTask<bool> FailAsync(RequestContext ctx, Exception e, AuditTarget audit, CancellationToken ct)
    {
        if (Find<ClientBodyException>(e) is not null)
        {
            Record(ctx, audit, 400, "client request body incomplete or malformed");
            ctx.Front.Abort();
            return false;
        }

        var (status, reason) = Find<HostDeniedException>(e) is { } denied
            ? (denied.Decision.ResolutionFailed ? 502 : 403, denied.Decision.Reason)
            : Find<UpstreamConnectException>(e) is { } connect
                ? (connect.TimedOut ? 504 : 502, connect.Message)
                : Find<AuthenticationException>(e) is not null
                    ? (502, $"TLS handshake with {audit.Host} failed")
                    : e is OperationCanceledException || Find<TimeoutException>(e) is not null
                        ? (504, $"upstream {audit.Host} timed out")
                        : (502, $"upstream request to {audit.Host} failed ({(e as HttpRequestException)?.HttpRequestError.ToString() ?? "error"})");

        return await ctx.RespondAsync(status, reason, audit.Host, audit.Port, audit.Path, audit.Route, ct).ConfigureAwait(false);
    }

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T match)
                return match;
        }

        return null;
    }

    /// <summary>Records an allowed request that reached (or tried to reach) its upstream.</summary>
    internal static void Record(RequestContext ctx, AuditTarget audit, int status, string? reason) =>
        ctx.Runtime.Audit.Add(new NetworkAuditEvent
        {
            Mode = ctx.Mode,
            Decision = AuditDecision.Allow,
            Target = audit.Host,
            Port = audit.Port,
            Method = ctx.Head.Method,
            Path = audit.Path,
            Status = status,
            Reason = reason,
            Route = audit.Route,
        });
}
