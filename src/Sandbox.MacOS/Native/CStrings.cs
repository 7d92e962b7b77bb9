using System.Runtime.InteropServices;
using System.Text;

namespace Nono.Sandbox.MacOS.Native;

/// <summary>NUL-terminated UTF-8 strings and NULL-terminated arrays of them in native memory, for
/// execve and posix_spawn. Built before the sandbox goes up and freed by the caller.</summary>
internal static unsafe class CStrings
{
    public static bool AnyContainsNul(IEnumerable<string> values) =>
        values.Any(value => value.Contains('\0', StringComparison.Ordinal));

    public static byte* Allocate(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var buffer = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(value, new Span<byte>(buffer, length));
        buffer[length] = 0;
        return buffer;
    }

    public static byte** AllocateArray(IReadOnlyList<string> values)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < values.Count; i++)
        {
            array[i] = Allocate(values[i]);
        }

        return array;
    }

    public static void FreeArray(byte** array, int count)
    {
        for (var i = 0; i < count; i++)
        {
            NativeMemory.Free(array[i]);
        }

        NativeMemory.Free(array);
    }
}
