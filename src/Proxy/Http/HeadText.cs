using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Nono.Proxy.Http;

/// <summary>
/// Writes the pieces of an HTTP/1.x head straight into a pipe or buffer. Header text is Latin-1 (the
/// parser decodes it that way, so values round-trip byte for byte); nothing is built as a string first.
/// </summary>
internal static class HeadText
{
    public static void Append(IBufferWriter<byte> writer, ReadOnlySpan<byte> ascii)
    {
        ascii.CopyTo(writer.GetSpan(ascii.Length));
        writer.Advance(ascii.Length);
    }

    public static void Append(IBufferWriter<byte> writer, string text)
    {
        if (text.Length == 0)
            return;
        var span = writer.GetSpan(text.Length);
        writer.Advance(Encoding.Latin1.GetBytes(text, span));
    }

    public static void Append(IBufferWriter<byte> writer, long number)
    {
        var span = writer.GetSpan(20);
        if (!Utf8Formatter.TryFormat(number, span, out var written))
            throw new InvalidOperationException("a 64-bit number did not fit in 20 bytes");
        writer.Advance(written);
    }

    /// <summary><c>name: value</c> and the line end.</summary>
    public static void AppendField(IBufferWriter<byte> writer, string name, string value)
    {
        Append(writer, name);
        Append(writer, ": "u8);
        Append(writer, value);
        Append(writer, "\r\n"u8);
    }

    public static void AppendField(IBufferWriter<byte> writer, string name, long number)
    {
        Append(writer, name);
        Append(writer, ": "u8);
        Append(writer, number);
        Append(writer, "\r\n"u8);
    }
}
