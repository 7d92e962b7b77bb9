using System.Security.Cryptography;
using System.Text;

namespace Nono.Proxy.Credentials;

/// <summary>
/// A credential's bytes (UTF-8), kept in an array on the pinned object heap so the garbage collector
/// never copies them elsewhere, and zeroed when disposed (or, as a last resort, finalized).
/// </summary>
/// <remarks>
/// What this cannot protect: strings returned by <see cref="Reveal"/> (immutable, freed whenever the
/// collector gets to them), kernel pipe and page-cache buffers the bytes passed through on their way
/// in, and swap (the array is not locked in memory).
/// </remarks>
internal sealed class SecretBuffer : IDisposable
{
    private readonly byte[] _storage;
    private readonly int _length;
    private int _disposed;

    /// <summary>Copies <paramref name="secret"/> into a new pinned buffer; the caller still owns (and should zero) its copy.</summary>
    public SecretBuffer(ReadOnlySpan<byte> secret)
    {
        _storage = GC.AllocateUninitializedArray<byte>(secret.Length, pinned: true);
        _length = secret.Length;
        secret.CopyTo(_storage);
    }

    // Null only if allocation failed in the constructor; a finalizer that throws ends the process.
    ~SecretBuffer() => CryptographicOperations.ZeroMemory(_storage ?? []);

    /// <summary>Encodes <paramref name="secret"/> as UTF-8 straight into a pinned buffer.</summary>
    public static SecretBuffer FromChars(ReadOnlySpan<char> secret)
    {
        var buffer = new SecretBuffer(Encoding.UTF8.GetByteCount(secret));
        Encoding.UTF8.GetBytes(secret, buffer._storage);
        return buffer;
    }

    private SecretBuffer(int length)
    {
        _storage = GC.AllocateArray<byte>(length, pinned: true);
        _length = length;
    }

    /// <summary>The secret's bytes. Do not copy them anywhere that outlives the request being built.</summary>
    public ReadOnlySpan<byte> Span
    {
        get
        {
            ThrowIfDisposed();
            return _storage.AsSpan(0, _length);
        }
    }

    public int Length
    {
        get
        {
            ThrowIfDisposed();
            return _length;
        }
    }

    /// <summary>The array behind <see cref="Span"/>, for tests that check it is zeroed after disposal.</summary>
    internal byte[] StorageForTests => _storage;

    /// <summary>
    /// The secret as a string, for building one outgoing header (or URL) value and nothing else. A .NET
    /// string cannot be zeroed: it stays in memory until collected, so call this as late as possible,
    /// never cache the result, and never log it.
    /// </summary>
    public string Reveal() => Encoding.UTF8.GetString(Span);

    /// <summary>
    /// Compares in time that depends only on the lengths, not on where the inputs first differ.
    /// (Different lengths return false at once; a secret's length is not treated as secret.)
    /// </summary>
    public bool FixedTimeEquals(ReadOnlySpan<byte> other) => CryptographicOperations.FixedTimeEquals(Span, other);

    /// <summary>Never the secret: safe to reach a log by accident.</summary>
    public override string ToString() => "[secret]";

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        CryptographicOperations.ZeroMemory(_storage);
        GC.SuppressFinalize(this);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
