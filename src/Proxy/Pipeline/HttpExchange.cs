using System.Net;
using System.Security.Authentication;
using Nono.Proxy.Filter;
using Nono.Proxy.Http;
using Nono.Proxy.Upstream;

namespace Nono.Proxy.Pipeline;

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

    public static async ValueTask<bool> ForwardAsync(RequestContext ctx, ForwardPlan plan, CancellationToken ct)
    {
        var head = ctx.Head;
        var audit = plan.Audit;
        var upgrade = WebSocketUpgrade.IsRequested(head) && ctx.Front is Http1Front;
        using var request = new HttpRequestMessage(HttpMethod.Parse(head.Method), plan.Target);
        if (plan.Target.Scheme == Uri.UriSchemeHttps && !upgrade)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        }
        else
        {
            // An upgrade exists only in HTTP/1.1 (the proxy does not offer RFC 8441 extended CONNECT).
            request.Version = HttpVersion.Version11;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        BodyContent? content = null;
        if (head.HasBody)
            request.Content = content = new BodyContent(ctx.Body, head.ExpectContinue ? ctx.Front : null);
        else if (head.ContentLength == 0 && head.Method is "POST" or "PUT" or "PATCH")
            request.Content = new ByteArrayContent([]);

        OutboundHeaders.Copy(head, plan.Rewrite, ctx.Runtime.Token, upgrade, request, AddHeader);

        HttpResponseMessage response;
        try
        {
            response = await plan.Invoker!.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return await FailAsync(ctx, e, audit, ct).ConfigureAwait(false);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.SwitchingProtocols)
                return await SwitchAsync(ctx, response, upgrade, audit, ct).ConfigureAwait(false);

            // Recorded before the client can see the response; a failure mid-body adds a second event.
            ctx.RecordAllowed(audit, (int)response.StatusCode, null);
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
                ctx.RecordAllowed(audit, (int)response.StatusCode, "response not completed (upstream or client failed mid-body)");
                // A truncated response must not look complete: close the connection instead of ending it cleanly.
                ctx.Front.Abort();
                return false;
            }

            return await BodyFinishedAsync(ctx, content).ConfigureAwait(false) && ctx.Front.KeepsAlive(response);
        }
    }

    private static void AddHeader(HttpRequestMessage request, string name, string value)
    {
        if (ContentHeaderNames.Contains(name))
            request.Content?.Headers.TryAddWithoutValidation(name, value);
        else
            request.Headers.TryAddWithoutValidation(name, value);
    }

    /// <summary>A 101 from the upstream: the WebSocket relay when the client asked for it and the answer completes the handshake, else a 502.</summary>
    private static async ValueTask<bool> SwitchAsync(RequestContext ctx, HttpResponseMessage response, bool upgrade, AuditTarget audit, CancellationToken ct)
    {
        var headers = new List<HeaderField>();
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            foreach (var value in values)
                headers.Add(new HeaderField(name, value));
        }

        var problem = !upgrade ? "upstream switched protocols without being asked to" : WebSocketUpgrade.CheckSwitch(ctx.Head, headers);
        if (problem is not null)
        {
            await ctx.RefuseAsync(Denial.Of(Refusal.UpstreamMalformed, problem, audit.Host, audit.Port, audit.Path, audit.Route), ct, close: true).ConfigureAwait(false);
            return false;
        }

        ctx.RecordAllowed(audit, 101, null);
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var front = (Http1Front)ctx.Front;
            UpgradeRelay.WriteSwitchingHead(front.Client.Writer, headers);
            await UpgradeRelay.RunAsync(front.Client, stream, ctx.Runtime.AbortToken).ConfigureAwait(false);
        }

        return false;
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
            ctx.RecordAllowed(audit, 400, "client request body incomplete or malformed");
            ctx.Front.Abort();
            return false;
        }

        var (reason, message) = Find<HostDeniedException>(e) is { } denied
            ? (denied.Decision.ResolutionFailed ? Refusal.HostUnresolvable : Refusal.HostDenied, denied.Decision.Reason)
            : Find<UpstreamConnectException>(e) is { } connect
                ? (connect.TimedOut ? Refusal.UpstreamTimeout : Refusal.UpstreamUnreachable, connect.Message)
                : Find<AuthenticationException>(e) is not null
                    ? (Refusal.UpstreamTls, $"TLS handshake with {audit.Host} failed")
                    : e is OperationCanceledException || Find<TimeoutException>(e) is not null
                        ? (Refusal.UpstreamTimeout, $"upstream {audit.Host} timed out")
                        : (Refusal.UpstreamFailed, $"upstream request to {audit.Host} failed ({(e as HttpRequestException)?.HttpRequestError.ToString() ?? "error"})");

        return await ctx.RefuseAsync(new Denial(reason, message, audit), ct).ConfigureAwait(false);
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
}
