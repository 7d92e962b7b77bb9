using System.Buffers;
using Nono.Proxy.Http;
using Nono.Proxy.Http2.Hpack;

namespace Nono.Proxy.Tests.Http2;

/// <summary>HPACK against the examples of RFC 7541 Appendix C, plus the malformed inputs a decoder must refuse.</summary>
public sealed class HpackTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    private static List<HeaderField> Decode(HpackDecoder decoder, string hex)
    {
        var fields = new List<HeaderField>();
        Assert.True(decoder.Decode(Hex(hex), fields));
        return fields;
    }

    [Theory]
    [InlineData("0a", 5, 10)]
    [InlineData("1f9a0a", 5, 1337)]
    [InlineData("2a", 8, 42)]
    public void Integers_decode_as_in_appendix_c1(string hex, int prefix, int expected)
    {
        var pos = 0;
        Assert.Equal(expected, HpackDecoder.ReadInteger(Hex(hex), ref pos, prefix));
        var written = new ArrayBufferWriter<byte>();
        HpackEncoder.WriteInteger(written, 0, prefix, expected);
        Assert.Equal(Hex(hex), written.WrittenSpan.ToArray());
    }

    [Fact]
    public void Literal_with_indexing_enters_the_dynamic_table_c2_1()
    {
        var decoder = new HpackDecoder(4096, 64 * 1024);
        Assert.Equal([new HeaderField("custom-key", "custom-header")], Decode(decoder, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
        Assert.Equal(55, decoder.Table.Size);
    }

    [Fact]
    public void Literals_without_indexing_and_never_indexed_leave_the_table_empty_c2_2_to_c2_4()
    {
        var decoder = new HpackDecoder(4096, 64 * 1024);
        Assert.Equal([new HeaderField(":path", "/sample/path")], Decode(decoder, "040c 2f73 616d 706c 652f 7061 7468"));
        Assert.Equal([new HeaderField("password", "secret")], Decode(decoder, "1008 7061 7373 776f 7264 0673 6563 7265 74"));
        Assert.Equal([new HeaderField(":method", "GET")], Decode(decoder, "82"));
        Assert.Equal(0, decoder.Table.Count);
    }

    [Theory]
    [InlineData(false, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", "8286 84be 5808 6e6f 2d63 6163 6865", "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65")]
    [InlineData(true, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", "8286 84be 5886 a8eb 1064 9cbf", "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf")]
    public void Three_requests_share_one_dynamic_table_c3_and_c4(bool huffman, string first, string second, string third)
    {
        _ = huffman;
        var decoder = new HpackDecoder(4096, 64 * 1024);
        Assert.Equal(
            [new(":method", "GET"), new(":scheme", "http"), new(":path", "/"), new(":authority", "www.example.com")],
            Decode(decoder, first));
        Assert.Equal(57, decoder.Table.Size);

        Assert.Equal(
            [new(":method", "GET"), new(":scheme", "http"), new(":path", "/"), new(":authority", "www.example.com"), new("cache-control", "no-cache")],
            Decode(decoder, second));
        Assert.Equal(110, decoder.Table.Size);

        Assert.Equal(
            [new(":method", "GET"), new(":scheme", "https"), new(":path", "/index.html"), new(":authority", "www.example.com"), new("custom-key", "custom-value")],
            Decode(decoder, third));
        Assert.Equal(164, decoder.Table.Size);
        Assert.Equal(new HeaderField("custom-key", "custom-value"), decoder.Table[0]);
    }

    [Fact]
    public void Responses_evict_the_oldest_entries_from_a_256_octet_table_c5()
    {
        var decoder = new HpackDecoder(256, 64 * 1024);
        var first = Decode(decoder,
            "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d");
        Assert.Equal(
            [new(":status", "302"), new("cache-control", "private"), new("date", "Mon, 21 Oct 2013 20:13:21 GMT"), new("location", "https://www.example.com")],
            first);
        Assert.Equal(222, decoder.Table.Size);

        var second = Decode(decoder, "4803 3330 37c1 c0bf");
        Assert.Equal(
            [new(":status", "307"), new("cache-control", "private"), new("date", "Mon, 21 Oct 2013 20:13:21 GMT"), new("location", "https://www.example.com")],
            second);
        Assert.Equal(222, decoder.Table.Size);
        Assert.Equal(4, decoder.Table.Count);
    }

    [Theory]
    [InlineData("www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff")]
    [InlineData("no-cache", "a8eb 1064 9cbf")]
    [InlineData("custom-value", "25a8 49e9 5bb8 e8b4 bf")]
    [InlineData("302", "6402")]
    [InlineData("private", "aec3 771a 4b")]
    public void Huffman_codes_match_the_rfc_examples(string text, string hex)
    {
        Assert.Equal(Hex(hex), HuffmanCode.Encode(text));
        Assert.Equal(text, HuffmanCode.Decode(Hex(hex)));
    }

    [Fact]
    public void Every_octet_round_trips_through_the_huffman_code()
    {
        var all = new string(Enumerable.Range(0, 256).Select(i => (char)i).ToArray());
        Assert.Equal(all, HuffmanCode.Decode(HuffmanCode.Encode(all)));
        Assert.Equal(all + all, HuffmanCode.Decode(HuffmanCode.Encode(all + all)));
    }

    [Theory]
    [InlineData("ff ff ff ff")] // EOS (30 ones) inside the string
    [InlineData("f1e3 c2e5 f23a 6ba0 ab90 f4ff ff")] // padding of more than 7 bits
    [InlineData("00")] // padding of zeros, not the EOS prefix
    public void Invalid_huffman_strings_are_refused(string hex) =>
        Assert.Throws<HpackException>(() => HuffmanCode.Decode(Hex(hex)));

    [Theory]
    [InlineData("80")] // index 0
    [InlineData("be")] // dynamic index 62 with an empty table
    [InlineData("82 3f e1 1f")] // table size update after a field
    [InlineData("3f e2 1f")] // table size update above the allowed maximum
    [InlineData("40 0a 63 75")] // literal cut short
    [InlineData("1f ff ff ff ff ff 01")] // integer overflow
    public void Malformed_blocks_are_compression_errors(string hex)
    {
        var decoder = new HpackDecoder(4096, 64 * 1024);
        Assert.Throws<HpackException>(() => decoder.Decode(Hex(hex), []));
    }

    [Fact]
    public void Oversized_header_list_is_reported_but_the_table_stays_in_step()
    {
        var decoder = new HpackDecoder(4096, 100);
        var block = new ArrayBufferWriter<byte>();
        var big = new string('v', 200);

        // Literal with incremental indexing: the entry must be added although the list is over the limit.
        block.Write(new byte[] { 0x40, 0x01, (byte)'x' });
        block.Write(new byte[] { 0x7f, 200 - 127 });
        block.Write(big.Select(c => (byte)c).ToArray());
        var fields = new List<HeaderField>();

        Assert.False(decoder.Decode(block.WrittenSpan, fields));
        Assert.Empty(fields);
        Assert.Equal(new HeaderField("x", big), decoder.Table[0]);
    }

    [Fact]
    public void Encoder_output_decodes_to_the_same_fields()
    {
        var block = new ArrayBufferWriter<byte>();
        HpackEncoder.WriteStatus(block, 200);
        HpackEncoder.WriteStatus(block, 418);
        HpackEncoder.WriteField(block, "content-type", "text/plain");
        HpackEncoder.WriteField(block, "x-long", new string('a', 300));
        var fields = new List<HeaderField>();

        Assert.True(new HpackDecoder(4096, 64 * 1024).Decode(block.WrittenSpan, fields));
        Assert.Equal([new(":status", "200"), new(":status", "418"), new("content-type", "text/plain"), new("x-long", new string('a', 300))], fields);
    }
}
