using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Nono.Proxy.Http;

namespace Nono.Proxy.Tests.Unit;

public sealed class ChunkedBodyTests
{
    private const string Body = "5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\nNEXT";

    private static async Task<(string Decoded, string Remainder)> DecodeAsync(IEnumerable<byte[]> writes, bool chunked = true, long? length = null)
    {
        var pipe = new Pipe();
        var head = new RequestHead { Method = "POST", Target = "/", MinorVersion = 1, Headers = [], Chunked = chunked, ContentLength = length };
        var body = new MessageBody(pipe.Reader, head, HttpLimits.Default, ProgressDeadline.None);
        var writer = Task.Run(async () =>
        {
            foreach (var w in writes)
            {
                await pipe.Writer.WriteAsync(w);
                await Task.Yield();
            }

            await pipe.Writer.CompleteAsync();
        });
        var output = new MemoryStream();
        await body.CopyToAsync(output, TestContext.Current.CancellationToken);
        await writer;
        var rest = await pipe.Reader.ReadAsync();
        return (Encoding.ASCII.GetString(output.ToArray()), Encoding.ASCII.GetString(rest.Buffer.ToArray()));
    }

    [Fact]
    public async Task Chunked_body_decodes_at_every_split_and_stops_at_its_end()
    {
        var bytes = Encoding.ASCII.GetBytes(Body);
        for (var i = 0; i <= bytes.Length; i++)
        {
            var (decoded, rest) = await DecodeAsync([bytes[..i], bytes[i..]]);
            Assert.Equal("hello 0123456789", decoded);
            Assert.Equal("NEXT", rest);
        }
    }

    [Fact]
    public async Task Chunked_body_decodes_when_fed_byte_by_byte()
    {
        var (decoded, rest) = await DecodeAsync(Encoding.ASCII.GetBytes(Body).Select(b => new[] { b }));
        Assert.Equal("hello 0123456789", decoded);
        Assert.Equal("NEXT", rest);
    }

    [Fact]
    public async Task Content_length_body_stops_at_its_length()
    {
        var (decoded, rest) = await DecodeAsync([Encoding.ASCII.GetBytes("abcdefNEXT")], chunked: false, length: 6);
        Assert.Equal("abcdef", decoded);
        Assert.Equal("NEXT", rest);
    }

    [Theory]
    [InlineData("zz\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhelloXX0\r\n\r\n")]
    [InlineData("5\nhello\r\n0\r\n\r\n")]
    [InlineData("\r\n")]
    [InlineData("1000000000000000\r\n")]
    public async Task Malformed_chunk_framing_is_refused(string body)
    {
        await Assert.ThrowsAsync<HttpFramingException>(() => DecodeAsync([Encoding.ASCII.GetBytes(body)]));
    }

    [Fact]
    public async Task Body_cut_short_is_an_error_not_a_complete_body()
    {
        await Assert.ThrowsAsync<IOException>(() => DecodeAsync([Encoding.ASCII.GetBytes("5\r\nhel")]));
        await Assert.ThrowsAsync<IOException>(() => DecodeAsync([Encoding.ASCII.GetBytes("abc")], chunked: false, length: 6));
    }
}
