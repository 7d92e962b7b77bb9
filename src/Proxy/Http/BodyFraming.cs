namespace Nono.Proxy.Http;

/// <summary>
/// The framing headers of one message head, gathered the same way for requests and responses:
/// every Content-Length must be a plain decimal and agree with the others, and Transfer-Encoding
/// values are joined in order. Disagreeing framings are how requests get smuggled past a proxy, so
/// the rules live in this one place; the builders decide how to refuse.
/// </summary>
internal struct BodyFraming
{
    public long? ContentLength { get; private set; }

    public string? TransferEncoding { get; private set; }

    /// <summary>A Content-Length was malformed or contradicted an earlier one.</summary>
    public bool InvalidLength { get; private set; }

    public readonly bool HasTransferEncoding => TransferEncoding is not null;

    /// <summary>Transfer-Encoding is exactly <c>chunked</c>, the only coding the proxy relays.</summary>
    public readonly bool IsChunkedOnly => TransferEncoding?.Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Takes the header when it is a framing header; false for any other header.</summary>
    public bool Observe(string name, string value)
    {
        if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseLength(value, out var length) || (ContentLength is { } prior && prior != length))
                InvalidLength = true;
            else
                ContentLength = length;
            return true;
        }

        if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
        {
            TransferEncoding = TransferEncoding is null ? value : TransferEncoding + "," + value;
            return true;
        }

        return false;
    }

    private static bool TryParseLength(string value, out long length)
    {
        length = 0;
        if (value.Length is 0 or > 18)
            return false;
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
                return false;
            length = (length * 10) + (c - '0');
        }

        return true;
    }
}
