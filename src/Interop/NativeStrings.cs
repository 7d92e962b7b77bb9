using System.Runtime.InteropServices;
using System.Text;

namespace Nono.Interop;

/// <summary>A NULL-terminated array of NUL-terminated UTF-8 strings in native memory (argv, envp),
/// built before a sandbox goes up (marshalling may no longer be allowed afterwards).</summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private readonly byte*[] _strings;
    private byte** _array;

    public NativeStrings(IReadOnlyList<string> values)
    {
        _strings = new byte*[values.Count];
        _array = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < values.Count; i++)
        {
            _strings[i] = Allocate(values[i]);
            _array[i] = _strings[i];
        }
    }

    public byte** Pointer => _array;

    /// <summary>True when a value cannot become a C string (it would be cut at the NUL).</summary>
    public static bool AnyContainsNul(IEnumerable<string> values) =>
        values.Any(value => value.Contains('\0', StringComparison.Ordinal));

    /// <summary>A single NUL-terminated UTF-8 copy; free with <see cref="NativeMemory.Free"/>.</summary>
    public static byte* Allocate(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A string passed to the kernel contains a NUL byte.", nameof(value));
        }

        var length = Encoding.UTF8.GetByteCount(value);
        var buffer = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(value, new Span<byte>(buffer, length));
        buffer[length] = 0;
        return buffer;
    }

    public void Dispose()
    {
        if (_array is null)
        {
            return;
        }

        foreach (var value in _strings)
        {
            NativeMemory.Free(value);
        }

        NativeMemory.Free(_array);
        _array = null;
    }
}
