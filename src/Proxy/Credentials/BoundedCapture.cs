using System.Security.Cryptography;

namespace Nono.Proxy.Credentials;

/// <summary>
/// Collects a helper program's output as bytes, up to a limit, in pinned arrays that are zeroed when
/// they are outgrown and when the capture is disposed. Output goes from the pipe straight into these
/// arrays: it never becomes a string, so a secret printed by a helper leaves no unzeroed copy behind
/// in managed memory.
/// </summary>
internal sealed class BoundedCapture : IDisposable
{
    private const int InitialSize = 256;

    private readonly int _limit;
    private byte[] _buffer;
    private int _length;

    public BoundedCapture(int limit)
    {
        _limit = limit;
        _buffer = GC.AllocateArray<byte>(Math.Min(InitialSize, limit), pinned: true);
    }

    /// <summary>The first <c>limit</c> bytes of the output.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    /// <summary>The output was longer than the limit; the rest was read and thrown away.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Reads <paramref name="stream"/> to its end (so the writer never blocks on a full pipe).</summary>
    public async Task FillAsync(Stream stream, CancellationToken ct)
    {
        var discard = GC.AllocateArray<byte>(4096, pinned: true);
        try
        {
            while (true)
            {
                if (_length == _buffer.Length && _length < _limit)
                {
                    Grow();
                }

                var target = _length < _buffer.Length ? _buffer.AsMemory(_length) : discard.AsMemory();
                var read = await stream.ReadAsync(target, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                if (_length < _buffer.Length)
                {
                    _length += read;
                }
                else
                {
                    Truncated = true;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(discard);
        }
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_buffer);
        _length = 0;
    }

    private void Grow()
    {
        var larger = GC.AllocateArray<byte>((int)Math.Min((long)_buffer.Length * 2, _limit), pinned: true);
        _buffer.AsSpan(0, _length).CopyTo(larger);
        CryptographicOperations.ZeroMemory(_buffer);
        _buffer = larger;
    }
}
