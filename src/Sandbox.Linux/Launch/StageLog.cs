using System.Text;
using Nono.Interop;
using Nono.Sandbox.Linux.Native;

namespace Nono.Sandbox.Linux.Launch;

/// <summary>Writes straight to fd 2: no console machinery to start, nothing buffered when execve
/// replaces the process, and a broken stderr never raises a signal through a managed stream.</summary>
internal static unsafe class StageLog
{
    public static void Error(string message) => Write($"nono: {message}\n");

    public static void Debug(bool verbose, string message)
    {
        if (verbose)
        {
            Write($"nono: debug: {message}\n");
        }
    }

    public static void Write(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* pointer = bytes)
        {
            var offset = 0;
            while (offset < bytes.Length)
            {
                var written = Posix.Write(2, pointer + offset, (nuint)(bytes.Length - offset));
                if (written <= 0)
                {
                    if (written < 0 && Errno.Last == Errno.EINTR)
                    {
                        continue;
                    }

                    return;
                }

                offset += (int)written;
            }
        }
    }
}
