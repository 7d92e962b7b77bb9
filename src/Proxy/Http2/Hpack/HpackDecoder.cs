using System.Text;
using Nono.Proxy.Http;

namespace Nono.Proxy.Http2.Hpack;

/// <summary>
/// Decodes HPACK header blocks (RFC 7541) for one connection. The dynamic table lives as long as the
/// connection, so every block must be decoded, even one whose request is refused, or the table falls
/// out of step with the client's.
/// </summary>
internal sealed class HpackDecoder(int maxTableSize, int maxHeaderListSize)
{
    private readonly HpackDynamicTable _table = new(maxTableSize);

    public HpackDynamicTable Table => _table;

    /// <summary>
    /// Decodes <paramref name="block"/> into <paramref name="fields"/>. Returns false when the decoded list
    /// is larger than the limit (size counted as in SETTINGS_MAX_HEADER_LIST_SIZE): the block is still decoded
    /// to keep the table in step, but fields past the limit are not kept.
    /// </summary>
    /// <exception cref="HpackException">The block is malformed.</exception>
    public bool Decode(ReadOnlySpan<byte> block, List<HeaderField> fields)
    {
        var listSize = 0;
        var withinLimit = true;
        var fieldSeen = false;
        var pos = 0;
        while (pos < block.Length)
        {
            var b = block[pos];
            HeaderField field;
            if ((b & 0x80) != 0)
            {
                // Indexed field.
                field = Lookup(ReadInteger(block, ref pos, 7));
            }
            else if ((b & 0x40) != 0)
            {
                // Literal with incremental indexing.
                field = ReadLiteral(block, ref pos, 6);
                _table.Add(field);
            }
            else if ((b & 0x20) != 0)
            {
                // Dynamic table size update: only at the start of a block (RFC 7541 section 4.2).
                if (fieldSeen)
                    throw new HpackException("dynamic table size update after a header field");
                var size = ReadInteger(block, ref pos, 5);
                if (size > maxTableSize)
                    throw new HpackException($"dynamic table size update to {size}, above the {maxTableSize} allowed");
                _table.Resize(size);
                continue;
            }
            else
            {
                // Literal without indexing (0000xxxx) or never indexed (0001xxxx).
                field = ReadLiteral(block, ref pos, 4);
            }

            fieldSeen = true;
            listSize += HpackDynamicTable.EntrySize(field);
            if (listSize > maxHeaderListSize)
                withinLimit = false;
            if (withinLimit)
                fields.Add(field);
        }

        return withinLimit;
    }

    private HeaderField Lookup(int index)
    {
        if (index == 0)
            throw new HpackException("header index 0");
        var statics = HpackStaticTable.Entries;
        return index <= statics.Length ? statics[index - 1] : _table[index - statics.Length - 1];
    }

    private HeaderField ReadLiteral(ReadOnlySpan<byte> block, ref int pos, int prefix)
    {
        var nameIndex = ReadInteger(block, ref pos, prefix);
        var name = nameIndex == 0 ? ReadString(block, ref pos) : Lookup(nameIndex).Name;
        var value = ReadString(block, ref pos);
        return new HeaderField(name, value);
    }

    private static string ReadString(ReadOnlySpan<byte> block, ref int pos)
    {
        if (pos >= block.Length)
            throw new HpackException("header block ends before a string literal");
        var huffman = (block[pos] & 0x80) != 0;
        var length = ReadInteger(block, ref pos, 7);
        if (length > block.Length - pos)
            throw new HpackException("string literal runs past the end of the header block");
        var bytes = block.Slice(pos, length);
        pos += length;
        return huffman ? HuffmanCode.Decode(bytes) : Encoding.Latin1.GetString(bytes);
    }

    /// <summary>Reads an integer with an N-bit prefix (RFC 7541 section 5.1), refusing values past 2^28.</summary>
    internal static int ReadInteger(ReadOnlySpan<byte> block, ref int pos, int prefixBits)
    {
        if (pos >= block.Length)
            throw new HpackException("header block ends inside an integer");
        var max = (1 << prefixBits) - 1;
        var value = block[pos++] & max;
        if (value < max)
            return value;

        for (var shift = 0; ; shift += 7)
        {
            if (pos >= block.Length)
                throw new HpackException("header block ends inside an integer");
            if (shift > 21)
                throw new HpackException("integer too large");
            var b = block[pos++];
            value += (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
    }
}
