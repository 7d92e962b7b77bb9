namespace Nono.Proxy.Http2.Hpack;

/// <summary>
/// The static Huffman code of HPACK (RFC 7541 Appendix B). The code is canonical: sorting the 257
/// symbols (256 octets and EOS) by code length, then by symbol, and counting upwards gives every code.
/// So only the lengths are stored; the codes and the decoding tree are derived from them once.
/// </summary>
internal static class HuffmanCode
{
    public const int Eos = 256;

    // Code length of each symbol 0..256, as a letter: 'A' is 5 bits, 'B' 6 bits, ... 'Z' 30 bits.
    private const string Lengths =
        "ISXXXXXXXTZXXZXXXXXXXXZXXXXXXXXXBFFHIBDGFFDGDBBBAAABBBBBBBCDKBHFIBCCCCCCCCCCCCCCCCCCCCCCDCDIOIJBKABABABBBACC"
        + "BBBABCBAABCCCCCKGJIXPRPPRRRSRSSSSSTSTTRSTSSSSQRSRSSTRQPRRSSQSRRTQRSSQQRQSRSSPRRRSRRSVVPORSRUVVVWWVTUOQVWWVWT"
        + "QQVVXWWWPTPQRQQSRRUUTTVSVWVVWWWWWXWWWWWVZ";

    /// <summary>Code of each symbol, right-aligned.</summary>
    public static readonly uint[] Codes = new uint[257];

    /// <summary>Length in bits of each symbol's code.</summary>
    public static readonly byte[] CodeLengths = new byte[257];

    /// <summary>
    /// Decoding tree: node <c>n</c> has children at <c>[2n]</c> (bit 0) and <c>[2n+1]</c> (bit 1). A child
    /// value of 0 means none (the root is never a child), a negative value <c>-(symbol+1)</c> is a leaf.
    /// </summary>
    internal static readonly short[] Tree = BuildTables();

    private static short[] BuildTables()
    {
        for (var s = 0; s < 257; s++)
            CodeLengths[s] = (byte)(Lengths[s] - 'A' + 5);

        var order = Enumerable.Range(0, 257).OrderBy(s => CodeLengths[s]).ThenBy(s => s).ToArray();
        uint code = 0;
        var previous = CodeLengths[order[0]];
        for (var i = 0; i < order.Length; i++)
        {
            var symbol = order[i];
            if (i > 0)
                code = (code + 1) << (CodeLengths[symbol] - previous);
            previous = CodeLengths[symbol];
            Codes[symbol] = code;
        }

        // 256 internal nodes suffice for 257 leaves of a full binary tree.
        var tree = new short[2 * 256];
        short next = 1;
        for (var symbol = 0; symbol < 257; symbol++)
        {
            var node = 0;
            for (var bit = CodeLengths[symbol] - 1; bit >= 0; bit--)
            {
                var slot = (2 * node) + (int)((Codes[symbol] >> bit) & 1);
                if (bit == 0)
                {
                    tree[slot] = (short)-(symbol + 1);
                }
                else
                {
                    if (tree[slot] == 0)
                        tree[slot] = next++;
                    node = tree[slot];
                }
            }
        }

        return tree;
    }

    /// <summary>Decodes a Huffman-coded string literal into Latin-1 text.</summary>
    /// <exception cref="HpackException">EOS inside the string, padding longer than 7 bits or not all ones.</exception>
    public static string Decode(ReadOnlySpan<byte> input)
    {
        // Shortest code is 5 bits, so the output has at most 8/5 the input's length.
        var output = input.Length <= 256 ? stackalloc char[(input.Length * 8 / 5) + 1] : new char[(input.Length * 8 / 5) + 1];
        var written = 0;
        var node = 0;
        var pendingBits = 0;
        var pendingAllOnes = true;
        foreach (var b in input)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                var one = (b >> bit) & 1;
                var child = Tree[(2 * node) + one];
                pendingBits++;
                pendingAllOnes &= one == 1;
                if (child < 0)
                {
                    var symbol = -child - 1;
                    if (symbol == Eos)
                        throw new HpackException("Huffman-coded string contains the EOS symbol");
                    output[written++] = (char)symbol;
                    node = 0;
                    pendingBits = 0;
                    pendingAllOnes = true;
                }
                else
                {
                    node = child;
                }
            }
        }

        if (pendingBits > 7 || !pendingAllOnes)
            throw new HpackException("Huffman-coded string has invalid padding");
        return new string(output[..written]);
    }

    /// <summary>Encodes Latin-1 text (used by tests; the encoder sends literals uncompressed).</summary>
    public static byte[] Encode(string text)
    {
        var output = new List<byte>(text.Length);
        ulong accumulator = 0;
        var bits = 0;
        foreach (var c in text)
        {
            var symbol = c & 0xFF;
            accumulator = (accumulator << CodeLengths[symbol]) | Codes[symbol];
            bits += CodeLengths[symbol];
            while (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)(accumulator >> bits));
            }
        }

        if (bits > 0)
            output.Add((byte)((accumulator << (8 - bits)) | (0xFFu >> bits)));
        return [.. output];
    }
}
