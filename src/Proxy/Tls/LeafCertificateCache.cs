namespace Nono.Proxy.Tls;

/// <summary>
/// Minted leaves by host name, bounded and least-recently-used first out. Concurrent requests for a
/// name that is not cached yet share one mint.
/// </summary>
/// <remarks>
/// An evicted leaf is not disposed: a handshake may still be presenting it. Its key is released when the
/// leaf is collected. Disposing the cache disposes every leaf still in it (end of session).
/// </remarks>
internal sealed class LeafCertificateCache : IDisposable
{
    public const int DefaultCapacity = 1024;

    private readonly Func<TlsHostName, LeafCertificate> _mint;
    private readonly int _capacity;
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _lock = new();
    private int _mintCount;
    private bool _disposed;

    public LeafCertificateCache(LeafCertificateMinter minter, int capacity = DefaultCapacity)
        : this(minter.Mint, capacity)
    {
    }

    internal LeafCertificateCache(Func<TlsHostName, LeafCertificate> mint, int capacity)
    {
        ArgumentNullException.ThrowIfNull(mint);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _mint = mint;
        _capacity = capacity;
    }

    public int Capacity => _capacity;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>How many leaves have been minted in total (evictions make this exceed <see cref="Count"/>).</summary>
    public int MintCount => Volatile.Read(ref _mintCount);

    public LeafCertificate GetOrMint(TlsHostName name)
    {
        Entry entry;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(name.Value, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                entry = node.Value;
            }
            else
            {
                entry = new Entry(name, new Lazy<LeafCertificate>(() => MintCounted(name), LazyThreadSafetyMode.ExecutionAndPublication));
                _entries.Add(name.Value, _recency.AddFirst(entry));
                if (_entries.Count > _capacity)
                {
                    var oldest = _recency.Last!;
                    _recency.RemoveLast();
                    _entries.Remove(oldest.Value.Name.Value);
                }
            }
        }

        try
        {
            return entry.Leaf.Value;
        }
        catch
        {
            // Lazy caches a failure; drop it so the next request mints afresh.
            lock (_lock)
            {
                if (_entries.TryGetValue(name.Value, out var node) && ReferenceEquals(node.Value, entry))
                {
                    _entries.Remove(name.Value);
                    _recency.Remove(node);
                }
            }

            throw;
        }
    }

    private LeafCertificate MintCounted(TlsHostName name)
    {
        Interlocked.Increment(ref _mintCount);
        return _mint(name);
    }

    public void Dispose()
    {
        List<Entry> entries;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            entries = [.. _recency];
            _entries.Clear();
            _recency.Clear();
        }

        foreach (var entry in entries)
        {
            if (entry.Leaf.IsValueCreated)
            {
                entry.Leaf.Value.Dispose();
            }
        }
    }

    private sealed record Entry(TlsHostName Name, Lazy<LeafCertificate> Leaf);
}
