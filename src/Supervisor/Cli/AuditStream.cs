using System.Text;
using System.Text.Json;
using Nono.Proxy;

namespace Nono.Supervisor.Cli;

/// <summary>
/// `nono proxy --audit-log`: the proxy's decisions as JSON lines (the audit event fields), drained from its
/// bounded buffer a few times a second and written to standard output (<c>-</c>, for log collectors) or
/// appended to a file (created 0600). Events the buffer had to drop are reported once per drain on stderr.
/// </summary>
internal sealed class AuditStream : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly ProxyHandle _handle;
    private readonly TextWriter _output;
    private readonly bool _ownsOutput;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private long _droppedReported;
    private int _disposed;

    private AuditStream(ProxyHandle handle, TextWriter output, bool ownsOutput)
    {
        _handle = handle;
        _output = output;
        _ownsOutput = ownsOutput;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Null when no audit log was asked for (disposing null is allowed through <see cref="Open"/>'s result).</summary>
    public static AuditStream? Open(string? target, ProxyHandle handle)
    {
        if (target is null)
            return null;
        if (target == "-")
            return new AuditStream(handle, Console.Out, ownsOutput: false);
        var stream = new FileStream(target, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            UnixCreateMode = OperatingSystem.IsWindows() ? null : UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        return new AuditStream(handle, new StreamWriter(stream, new UTF8Encoding(false)), ownsOutput: true);
    }

    private async Task PumpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            Flush();
        }
    }

    private void Flush()
    {
        var events = _handle.DrainAuditEvents();
        if (events.Count > 0)
        {
            var text = new StringBuilder();
            foreach (var e in events)
                text.Append(JsonSerializer.Serialize(e, AuditJsonContext.Default.NetworkAuditEvent)).Append('\n');
            _output.Write(text.ToString());
            _output.Flush();
        }

        var dropped = _handle.DroppedAuditEvents;
        if (dropped > _droppedReported)
        {
            Console.Error.WriteLine($"nono: {dropped - _droppedReported} audit events were dropped (the buffer was full between writes)");
            _droppedReported = dropped;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        Flush();
        if (_ownsOutput)
            await _output.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
