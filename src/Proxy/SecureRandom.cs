using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Nono.Proxy;

/// <summary>
/// Random bytes for tokens and unguessable names, from the kernel's CSPRNG (getrandom(2)) on Linux.
/// On Linux, .NET's <see cref="RandomNumberGenerator"/> goes through OpenSSL, and the first call
/// loads and initialises libcrypto: about 3 ms on every launch of a session that would otherwise
/// never touch OpenSSL. The kernel's generator is the same source OpenSSL seeds from.
/// </summary>
public static partial class SecureRandom
{
    private const uint NoFlags = 0;
    private const int EIntr = 4;

    /// <summary>Fills a prefix of the span; returns how many bytes, or -errno.</summary>
    internal delegate int RandomRead(Span<byte> destination);

    public static byte[] GetBytes(int count)
    {
        var bytes = new byte[count];
        Fill(bytes);
        return bytes;
    }

    public static void Fill(Span<byte> destination)
    {
        if (OperatingSystem.IsLinux())
        {
            Fill(destination, KernelRead);
        }
        else
        {
            RandomNumberGenerator.Fill(destination);
        }
    }

    /// <summary>Fills all of <paramref name="destination"/> from <paramref name="read"/>, which may
    /// return short counts or be interrupted; any other failure falls back to OpenSSL's generator.</summary>
    internal static void Fill(Span<byte> destination, RandomRead read)
    {
        while (!destination.IsEmpty)
        {
            var count = read(destination);
            if (count == -EIntr)
            {
                continue; // a signal arrived before any byte was read
            }

            if (count <= 0)
            {
                // ENOSYS (a kernel older than 3.17) or a seccomp filter: OpenSSL's generator still works.
                RandomNumberGenerator.Fill(destination);
                return;
            }

            destination = destination[count..];
        }
    }

    private static unsafe int KernelRead(Span<byte> destination)
    {
        fixed (byte* buffer = destination)
        {
            var read = GetRandom(buffer, (nuint)Math.Min(destination.Length, int.MaxValue), NoFlags);
            return read >= 0 ? (int)read : -Marshal.GetLastPInvokeError();
        }
    }

    [LibraryImport("libc", EntryPoint = "getrandom", SetLastError = true)]
    private static unsafe partial nint GetRandom(byte* buffer, nuint length, uint flags);
}
