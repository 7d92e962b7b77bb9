using System.Text;

namespace Nono.Proxy.Tests.Infrastructure;

/// <summary>Reads HTTP/1.1 requests (Content-Length or chunked bodies) off a stream, for the test origin.</summary>
internal sealed class HttpWireReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public async Task<RecordedRequest?> ReadRequestAsync()
    {
        var head = await ReadLineBlockAsync();
        if (head is null)
            return null;
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        var headers = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => new KeyValuePair<string, string>(l[..l.IndexOf(':')], l[(l.IndexOf(':') + 1)..].Trim())).ToList();
        var te = headers.FirstOrDefault(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)).Value;
        var cl = headers.FirstOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
        var body = new MemoryStream();
        if (te is not null && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var sizeLine = await ReadLineAsync();
                var size = Convert.ToInt32(sizeLine!.Split(';')[0], 16);
                if (size == 0)
                {
                    while ((await ReadLineAsync())!.Length > 0)
                    {
                    }

                    break;
                }

                body.Write(await ReadExactAsync(size));
                await ReadLineAsync();
            }
        }
        else if (cl is not null)
        {
            body.Write(await ReadExactAsync(int.Parse(cl)));
        }

        return new RecordedRequest(parts[0], parts[1], headers, body.ToArray());
    }

    private async Task<string?> ReadLineBlockAsync()
    {
        var sb = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync();
            if (line is null)
                return sb.Length == 0 ? null : throw new IOException("truncated head");
            if (line.Length == 0)
                return sb.ToString();
            sb.Append(line).Append("\r\n");
        }
    }

    private async Task<string?> ReadLineAsync()
    {
        while (true)
        {
            var idx = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (idx >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, idx - _start).TrimEnd('\r');
                _start = idx + 1;
                return line;
            }

            if (!await FillAsync())
                return null;
        }
    }

    private async Task<byte[]> ReadExactAsync(int count)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end && !await FillAsync())
                throw new IOException("truncated body");
            var n = Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, n);
            _start += n;
            filled += n;
        }

        return result;
    }

    private async Task<bool> FillAsync()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var n = await stream.ReadAsync(_buffer.AsMemory(_end));
        _end += n;
        return n > 0;
    }
}
