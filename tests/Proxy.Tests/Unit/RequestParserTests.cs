using System.Buffers;
using System.Text;
using Nono.Proxy.Http;
using Nono.Proxy.Tests.Infrastructure;

namespace Nono.Proxy.Tests.Unit;

public sealed class RequestParserTests
{
    private const string Sample = "POST http://example.com/a?b=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\nX-Thing:  spaced value \t\r\nConnection: keep-alive, X-Hop\r\n\r\nhello";

    private static bool Parse(ReadOnlySequence<byte> buffer, out SequencePosition consumed, out RequestHead? head, out HttpRejection? rejection, HttpLimits? limits = null) =>
        RequestParser.TryParse(buffer, limits ?? HttpLimits.Default, out consumed, out head, out rejection);

    private static ReadOnlySequence<byte> Seq(string text) => new(Encoding.Latin1.GetBytes(text));

    [Fact]
    public void Parses_request_line_headers_and_framing()
    {
        var buffer = Seq(Sample);
        Assert.True(Parse(buffer, out var consumed, out var head, out var rejection));
        Assert.Null(rejection);
        Assert.Equal("POST", head!.Method);
        Assert.Equal("http://example.com/a?b=1", head.Target);
        Assert.Equal(1, head.MinorVersion);
        Assert.Equal(5, head.ContentLength);
        Assert.True(head.KeepAlive);
        Assert.Equal("spaced value", head.Get("x-thing"));
        Assert.Equal("hello", Encoding.ASCII.GetString(buffer.Slice(consumed).ToArray()));
    }

    [Fact]
    public void Every_two_and_three_segment_split_parses_the_same()
    {
        var bytes = Encoding.Latin1.GetBytes(Sample);
        var headLength = Sample.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        for (var i = 0; i <= bytes.Length; i++)
        {
            AssertSameHead(Segments.Split(bytes, i), headLength);
            for (var j = i; j <= bytes.Length; j += 7)
                AssertSameHead(Segments.Split(bytes, i, j), headLength);
        }
    }

    private static void AssertSameHead(ReadOnlySequence<byte> buffer, int headLength)
    {
        Assert.True(Parse(buffer, out var consumed, out var head, out var rejection));
        Assert.Null(rejection);
        Assert.Equal("http://example.com/a?b=1", head!.Target);
        Assert.Equal(4, head.Headers.Count);
        Assert.Equal("spaced value", head.Get("X-Thing"));
        Assert.Equal(headLength, buffer.Slice(0, consumed).Length);
    }

    [Fact]
    public void Every_incomplete_prefix_asks_for_more()
    {
        var head = Sample[..(Sample.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 3)];
        for (var i = 0; i <= head.Length; i++)
        {
            var buffer = Seq(head[..i]);
            Assert.False(Parse(buffer, out var consumed, out _, out var rejection), $"prefix {i}");
            Assert.Null(rejection);
            Assert.Equal(0, buffer.Slice(0, consumed).Length);
        }
    }

    [Fact]
    public void Leading_empty_lines_are_ignored()
    {
        Assert.True(Parse(Seq("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), out _, out var head, out _));
        Assert.Equal("GET", head!.Method);
    }

    [Fact]
    public void Request_line_too_long_is_414_even_before_it_ends()
    {
        var limits = new HttpLimits { MaxRequestLine = 100 };
        Assert.True(Parse(Seq("GET /" + new string('a', 200)), out _, out _, out var partial, limits));
        Assert.Equal(414, partial!.Value.Status);
        Assert.True(Parse(Seq("GET /" + new string('a', 200) + " HTTP/1.1\r\n\r\n"), out _, out _, out var complete, limits));
        Assert.Equal(414, complete!.Value.Status);
    }

    [Fact]
    public void Header_block_too_large_is_431()
    {
        var limits = new HttpLimits { MaxHeaderBytes = 1000 };
        var big = "GET / HTTP/1.1\r\nX-Big: " + new string('b', 2000);
        Assert.True(Parse(Seq(big), out _, out _, out var partial, limits));
        Assert.Equal(431, partial!.Value.Status);
        Assert.True(Parse(Seq(big + "\r\n\r\n"), out _, out _, out var complete, limits));
        Assert.Equal(431, complete!.Value.Status);
        var many = "GET / HTTP/1.1\r\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"H{i}: v\r\n")) + "\r\n";
        Assert.True(Parse(Seq(many), out _, out _, out var tooMany));
        Assert.Equal(431, tooMany!.Value.Status);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\nHost: a\n\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost : a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]
    [InlineData("GET /a b HTTP/1.1\r\n\r\n")]
    [InlineData("G(T / HTTP/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nX: a\u0001b\r\n\r\n")]
    [InlineData("GET  / HTTP/1.1\r\n\r\n")]
    [InlineData("GET / FOO/1.1\r\n\r\n")]
    [InlineData("GET /\r\n\r\n")]
    public void Malformed_or_ambiguous_heads_are_400(string request)
    {
        Assert.True(Parse(Seq(request), out _, out var head, out var rejection));
        Assert.Null(head);
        Assert.Equal(400, rejection!.Value.Status);
    }

    [Fact]
    public void Unknown_transfer_coding_is_501_and_unknown_version_505()
    {
        Assert.True(Parse(Seq("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"), out _, out _, out var te));
        Assert.Equal(501, te!.Value.Status);
        Assert.True(Parse(Seq("GET / HTTP/2.0\r\n\r\n"), out _, out _, out var version));
        Assert.Equal(505, version!.Value.Status);
    }

    [Fact]
    public void Http10_closes_unless_keep_alive_and_http11_keeps_alive_unless_close()
    {
        Assert.True(Parse(Seq("GET / HTTP/1.0\r\n\r\n"), out _, out var a, out _));
        Assert.False(a!.KeepAlive);
        Assert.True(Parse(Seq("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"), out _, out var b, out _));
        Assert.True(b!.KeepAlive);
        Assert.True(Parse(Seq("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"), out _, out var c, out _));
        Assert.False(c!.KeepAlive);
    }

    [Fact]
    public void Response_heads_parse_with_the_same_rules_at_every_split()
    {
        var bytes = Encoding.Latin1.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
        for (var i = 0; i <= bytes.Length; i++)
        {
            Assert.True(RequestParser.TryParseResponse(Segments.Split(bytes, i), HttpLimits.Default, out _, out var head, out var rejection));
            Assert.Null(rejection);
            Assert.Equal((404, "Not Found", 3L, true), (head!.Status, head.Reason, head.ContentLength!.Value, head.ConnectionClose));
        }
    }

    [Theory]
    [InlineData("HTTP/1.1 2OO OK\r\n\r\n")]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 1\n\n")]
    public void Malformed_or_ambiguous_response_heads_are_rejected(string text)
    {
        Assert.True(RequestParser.TryParseResponse(Seq(text), HttpLimits.Default, out _, out var head, out var rejection));
        Assert.Null(head);
        Assert.NotNull(rejection);
    }
}
