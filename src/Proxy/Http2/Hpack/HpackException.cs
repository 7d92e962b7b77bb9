namespace Nono.Proxy.Http2.Hpack;

/// <summary>A header block could not be decoded; the connection must end with COMPRESSION_ERROR.</summary>
internal sealed class HpackException(string message) : Exception(message);
