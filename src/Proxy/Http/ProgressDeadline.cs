using System.Globalization;
using System.IO.Pipelines;

namespace Nono.Proxy.Http;

/// <summary>
/// Bounds how long one read of a request body may wait for its next bytes. A body that stops arriving
/// would otherwise hold its connection slot and an upstream connection for good, since neither the
/// header timeout (over once the head is in) nor the idle timeout (between requests) covers it.
/// </summary>
internal static class ProgressDeadline
{
    /// <summary>No bound: for bodies a deadline does not apply to.</summary>
    public static TimeSpan None => Timeout.InfiniteTimeSpan;

    /// <summary>A read that fails with <see cref="IOException"/> when nothing arrives within <paramref name="timeout"/>.</summary>
    public static async ValueTask<ReadResult> ReadAsync(PipeReader reader, TimeSpan timeout, CancellationToken ct)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
            return await reader.ReadAsync(ct).ConfigureAwait(false);

        // One timer per read, disposed with it: nothing stays registered on the connection's token.
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        try
        {
            return await reader.ReadAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new IOException(Message(timeout));
        }
    }

    /// <summary>What a stalled body is told: the same words on every front end.</summary>
    public static string Message(TimeSpan timeout) =>
        $"request body made no progress for {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
}
