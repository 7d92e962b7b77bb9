using System.Text;

namespace Nono.Supervisor.Profiles.Json;

/// <summary>Turns byte offsets in a UTF-8 document into 1-based line and column (in characters).</summary>
internal sealed class LineMap
{
    private readonly byte[] _utf8;
    private readonly List<int> _lineStarts = [0];

    public LineMap(byte[] utf8)
    {
        _utf8 = utf8;
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public (int Line, int Column) At(long byteOffset)
    {
        var offset = (int)Math.Clamp(byteOffset, 0, _utf8.Length);
        var index = _lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, ColumnOf(line, offset));
    }

    /// <summary>Position of a byte offset given relative to the start of a 0-based line.</summary>
    public (int Line, int Column) AtLine(long zeroBasedLine, long bytePositionInLine)
    {
        var line = (int)Math.Clamp(zeroBasedLine, 0, _lineStarts.Count - 1);
        var offset = (int)Math.Min(_lineStarts[line] + bytePositionInLine, _utf8.Length);
        return (line + 1, ColumnOf(line, offset));
    }

    /// <summary>Up to <paramref name="maxChars"/> characters of the line from the offset on, for error messages.</summary>
    public string Snippet(long zeroBasedLine, long bytePositionInLine, int maxChars = 24)
    {
        var line = (int)Math.Clamp(zeroBasedLine, 0, _lineStarts.Count - 1);
        var start = (int)Math.Min(_lineStarts[line] + bytePositionInLine, _utf8.Length);
        var end = start;
        while (end < _utf8.Length && _utf8[end] != (byte)'\n' && _utf8[end] != (byte)'\r')
        {
            end++;
        }

        var text = Encoding.UTF8.GetString(_utf8, start, end - start).Trim();
        return text.Length > maxChars ? text[..maxChars] + "..." : text;
    }

    /// <summary>True when nothing but whitespace follows the position (the document ended early).</summary>
    public bool IsRestBlank(long zeroBasedLine, long bytePositionInLine)
    {
        var line = (int)Math.Clamp(zeroBasedLine, 0, _lineStarts.Count - 1);
        var start = (int)Math.Min(_lineStarts[line] + bytePositionInLine, _utf8.Length);
        return _utf8.AsSpan(start).Trim(" \t\r\n"u8).IsEmpty;
    }

    private int ColumnOf(int line, int offset)
    {
        var start = _lineStarts[line];
        return Encoding.UTF8.GetCharCount(_utf8, start, Math.Max(0, offset - start)) + 1;
    }
}
