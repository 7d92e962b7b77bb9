using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Nono.Sandbox;

/// <summary>
/// Writes the binary form of a launch spec (<see cref="LaunchSpecWire"/>): little-endian 32-bit
/// integers, single-byte booleans, and UTF-8 strings and lists after their 32-bit count. Only
/// nono's own stage 2 reads it, so it needs no names or versions beyond the header; what it buys
/// is a stage 2 that starts without building a JSON serializer's metadata for every spec type.
/// </summary>
public sealed class SpecWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    public void Bytes(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void Int(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(sizeof(int)), value);
        _buffer.Advance(sizeof(int));
    }

    public void Bool(bool value) => _buffer.Write([value ? (byte)1 : (byte)0]);

    public void String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var count = Encoding.UTF8.GetByteCount(value);
        Int(count);
        _buffer.Advance(Encoding.UTF8.GetBytes(value, _buffer.GetSpan(count)));
    }

    public void Strings(IReadOnlyList<string> values) => List(values, String);

    public void Ports(IReadOnlyList<ushort> ports) => List(ports, port => Int(port));

    public void List<T>(IReadOnlyList<T> items, Action<T> write)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(write);
        Int(items.Count);
        foreach (var item in items)
        {
            write(item);
        }
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
