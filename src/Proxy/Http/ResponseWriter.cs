using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Nono.Proxy.Http;

/// <summary>Writes response heads and the proxy's own short responses onto a client's pipe.</summary>
internal static class ResponseWriter
{
    public static async ValueTask WriteSimpleAsync(
        PipeWriter writer,
        int status,
        string body,
        bool close,
        CancellationToken ct,
        params HeaderField[] extraHeaders)
    {
        var head = new StringBuilder(160);
        head.Append("HTTP/1.1 ").Append(status).Append(' ').Append(ReasonPhrase(status)).Append("\r\n");
        foreach (var (name, value) in extraHeaders)
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        var payload = body.Length == 0 ? "" : body + "\n";
        head.Append("Content-Type: text/plain; charset=utf-8\r\n");
        head.Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(payload)).Append("\r\n");
        if (close)
            head.Append("Connection: close\r\n");
        head.Append("\r\n");
        Write(writer, head.ToString(), Encoding.Latin1);
        Write(writer, payload, Encoding.UTF8);
        await writer.FlushAsync(ct).ConfigureAwait(false);
    }

    public static void Write(IBufferWriter<byte> writer, string text, Encoding encoding)
    {
        if (text.Length == 0)
            return;
        var span = writer.GetSpan(encoding.GetMaxByteCount(text.Length));
        writer.Advance(encoding.GetBytes(text, span));
    }

    public static void WriteAscii(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        var span = writer.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        writer.Advance(bytes.Length);
    }

    public static string ReasonPhrase(int status) => status switch
    {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        417 => "Expectation Failed",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    };
}
