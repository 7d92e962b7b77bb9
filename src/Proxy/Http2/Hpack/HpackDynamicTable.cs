using Nono.Proxy.Http;

namespace Nono.Proxy.Http2.Hpack;

/// <summary>
/// HPACK's dynamic table (RFC 7541 section 4): newest entry first, sized as name + value + 32 octets per
/// entry, oldest entries evicted to stay within the maximum size.
/// </summary>
internal sealed class HpackDynamicTable(int maxSize)
{
    private const int EntryOverhead = 32;

    // A ring buffer, newest at _head - 1.
    private HeaderField[] _entries = new HeaderField[16];
    private int _head;
    private int _count;

    public int Count => _count;

    public int Size { get; private set; }

    public int MaxSize { get; private set; } = maxSize;

    /// <summary>Entry by dynamic index, 0 being the newest.</summary>
    public HeaderField this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
                throw new HpackException($"header index refers past the dynamic table ({_count} entries)");
            var slot = _head - 1 - index;
            if (slot < 0)
                slot += _entries.Length;
            return _entries[slot];
        }
    }

    public static int EntrySize(HeaderField field) => field.Name.Length + field.Value.Length + EntryOverhead;

    public void Resize(int maxSize)
    {
        MaxSize = maxSize;
        EvictTo(maxSize);
    }

    public void Add(HeaderField field)
    {
        var size = EntrySize(field);

        // An entry larger than the table empties it and is not added (RFC 7541 section 4.4).
        EvictTo(MaxSize - size);
        if (size > MaxSize)
            return;

        if (_count == _entries.Length)
            Grow();
        _entries[_head] = field;
        _head = (_head + 1) % _entries.Length;
        _count++;
        Size += size;
    }

    private void EvictTo(int target)
    {
        while (_count > 0 && Size > Math.Max(target, 0))
        {
            var oldest = _head - _count;
            if (oldest < 0)
                oldest += _entries.Length;
            Size -= EntrySize(_entries[oldest]);
            _entries[oldest] = default;
            _count--;
        }
    }

    private void Grow()
    {
        var bigger = new HeaderField[_entries.Length * 2];
        for (var i = 0; i < _count; i++)
            bigger[_count - 1 - i] = this[i];
        _entries = bigger;
        _head = _count;
    }
}
