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

    public static byte[] GetBytes(int count)
    {
        var bytes = new byte[count];
        Fill(bytes);
        return bytes;
    }

    public static void Fill(Span<byte> destination)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }

        while (!destination.IsEmpty)
        {
            nint read;
            unsafe
            {
                fixed (byte* buffer = destination)
                {
                    read = GetRandom(buffer, (nuint)destination.Length, NoFlags);
                }
            }

            if (read < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == 4)
                {
                    continue; // EINTR: a signal arrived before any byte was read
                }

                // ENOSYS (a kernel older than 3.17) or a seccomp filter: OpenSSL's generator still works.
                RandomNumberGenerator.Fill(destination);
                return;
            }

            destination = destination[(int)read..];
        }
    }

    [LibraryImport("libc", EntryPoint = "getrandom", SetLastError = true)]
    private static unsafe partial nint GetRandom(byte* buffer, nuint length, uint flags);
}
