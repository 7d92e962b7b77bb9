using System.Diagnostics;

namespace Nono.EndToEnd.Tests;

/// <summary>An unsandboxed process holding a 0600 SysV shared-memory segment (the probe's shm-hold),
/// as a host program would; the segment goes when this is disposed.</summary>
internal sealed class SegmentHolder : IDisposable
{
    private readonly Process _process;

    public SegmentHolder(string content)
    {
        var start = new ProcessStartInfo(NonoBinary.Probe) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("shm-hold");
        start.ArgumentList.Add(content);
        _process = Process.Start(start)!;
    }

    /// <summary>The segment's id, as printed by the holder.</summary>
    public async Task<string> IdAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return (await _process.StandardOutput.ReadLineAsync(timeout.Token))?.Trim() ?? throw new InvalidOperationException("shm-hold printed nothing");
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000))
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
