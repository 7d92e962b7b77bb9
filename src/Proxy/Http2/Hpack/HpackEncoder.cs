using System.Buffers;
using System.Text;

namespace Nono.Proxy.Http2.Hpack;

/// <summary>
/// Encodes response header blocks without touching the dynamic table: <c>:status</c> from the static
/// table when it is there, everything else as a literal without indexing, uncompressed. Stateless, so
/// blocks of concurrent streams can be encoded in any order.
/// </summary>
internal static class HpackEncoder
{
    public static void WriteStatus(IBufferWriter<byte> output, int status)
    {
        var index = HpackStaticTable.StatusIndex(status);
        if (index != 0)
        {
            WriteInteger(output, 0x80, 7, index);
            return;
        }

        // Literal without indexing, name from static index 8 (":status").
        WriteInteger(output, 0x00, 4, 8);
        WriteString(output, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Writes one field; <paramref name="name"/> must already be lower-case.</summary>
    public static void WriteField(IBufferWriter<byte> output, string name, string value)
    {
        WriteInteger(output, 0x00, 4, 0);
        WriteString(output, name);
        WriteString(output, value);
    }

    internal static void WriteInteger(IBufferWriter<byte> output, byte flags, int prefixBits, int value)
    {
        var span = output.GetSpan(6);
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            span[0] = (byte)(flags | value);
            output.Advance(1);
            return;
        }

        span[0] = (byte)(flags | max);
        var n = 1;
        value -= max;
        while (value >= 0x80)
        {
            span[n++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        output.Advance(n);
    }

    private static void WriteString(IBufferWriter<byte> output, string text)
    {
        var length = Encoding.Latin1.GetByteCount(text);
        WriteInteger(output, 0x00, 7, length);
        var span = output.GetSpan(length);
        Encoding.Latin1.GetBytes(text, span);
        output.Advance(length);
    }
}
