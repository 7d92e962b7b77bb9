using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Nono.Sandbox;

/// <summary>
/// Reads what <see cref="SpecWriter"/> wrote. Every read is checked against what is left, and every
/// count against the bytes that could hold it, so a truncated or corrupt channel ends in a clear
/// "read the launch spec" failure (126) instead of an out-of-range read or an allocation sized by
/// garbage.
/// </summary>
public ref struct SpecReader(ReadOnlySpan<byte> payload)
{
    private const string Step = "read the launch spec";
    private ReadOnlySpan<byte> _rest = payload;

    public readonly bool AtEnd => _rest.IsEmpty;

    public void Expect(ReadOnlySpan<byte> header)
    {
        if (!_rest.StartsWith(header))
        {
            throw new SandboxSetupException(Step, "it does not start with this nono's spec header (was stage 2 started by another nono build?)");
        }

        _rest = _rest[header.Length..];
    }

    public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int)));

    public bool Bool() => Take(1)[0] switch
    {
        0 => false,
        1 => true,
        var other => throw new SandboxSetupException(Step, $"a boolean holds {other}"),
    };

    public string String() => Encoding.UTF8.GetString(Take(Count(1)));

    public ushort Port()
    {
        var value = Int();
        return value is >= 0 and <= ushort.MaxValue ? (ushort)value : throw new SandboxSetupException(Step, $"port {value} is out of range");
    }

    /// <summary>A value of an enumeration whose members are 0 to <paramref name="memberCount"/> - 1
    /// (the wire code keeps each count, and a test holds it to the enumeration).</summary>
    public TEnum Member<TEnum>(int memberCount)
        where TEnum : struct, Enum
    {
        var value = Int();
        return value >= 0 && value < memberCount
            ? Unsafe.As<int, TEnum>(ref value)
            : throw new SandboxSetupException(Step, $"{value} is not a {typeof(TEnum).Name}");
    }

    /// <summary>A flags value with no bit outside <paramref name="all"/>.</summary>
    public TEnum Flags<TEnum>(int all)
        where TEnum : struct, Enum
    {
        var value = Int();
        return (value & ~all) == 0
            ? Unsafe.As<int, TEnum>(ref value)
            : throw new SandboxSetupException(Step, $"{value} has bits that are not {typeof(TEnum).Name} flags");
    }

    /// <summary>A list count, no larger than the bytes left could hold at <paramref name="minimumSize"/> bytes per item.</summary>
    public int Count(int minimumSize)
    {
        var count = Int();
        if (count < 0 || (long)count * minimumSize > _rest.Length)
        {
            throw new SandboxSetupException(Step, $"a count of {count} does not fit in the {_rest.Length} bytes left");
        }

        return count;
    }

    public void End()
    {
        if (!_rest.IsEmpty)
        {
            throw new SandboxSetupException(Step, $"{_rest.Length} bytes follow the end of the spec");
        }
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length > _rest.Length)
        {
            throw new SandboxSetupException(Step, $"it ends {length - _rest.Length} bytes early");
        }

        var taken = _rest[..length];
        _rest = _rest[length..];
        return taken;
    }
}
