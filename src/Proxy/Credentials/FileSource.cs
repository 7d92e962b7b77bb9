using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Nono.Proxy.Credentials;

/// <summary>
/// <c>file:///absolute/path</c>: the file's content, less one trailing newline. The path is taken
/// literally (no percent-decoding), so <c>file:///home/me/my key</c> names a file with a space in it.
/// </summary>
/// <remarks>
/// Symlinks are followed (Kubernetes and Docker mount secrets as links), but what they lead to must be
/// a regular file: a FIFO, terminal or socket is refused (use <c>cmd://</c> for a program's output), as
/// is anything over the size limit. A file any user may write is refused, since whoever can write it
/// picks the credential. A file open to the group, or readable by others, loads with a warning:
/// container runtimes mount secrets 0444 or 0644, and refusing those would make them unusable.
/// </remarks>
internal static class FileSource
{
    private const UnixFileMode OpenToOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead;

    public static CredentialLoadResult Load(CredentialReference reference, CredentialLoaderOptions options)
    {
        var path = reference.Target;
        var label = reference.Label;
        if (OperatingSystem.IsWindows())
        {
            return CredentialLoadResult.Failed(label, "file:// credentials are supported on Linux and macOS only.");
        }

        if (Directory.Exists(path))
        {
            return CredentialLoadResult.Failed(label, $"{path} is a directory; point file:// at the file that holds the key.");
        }

        using var handle = NonBlockingOpen.TryOpen(path, out var errno);
        if (handle is null)
        {
            return CredentialLoadResult.Failed(label, $"Cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}. Check the path and that nono's user may read it.");
        }

        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        if (!stream.CanSeek)
        {
            return CredentialLoadResult.Failed(label, $"{path} is not a regular file (a pipe, socket or terminal?). Point file:// at a file, or use cmd:// to read a program's output.");
        }

        var mode = File.GetUnixFileMode(handle);
        if ((mode & UnixFileMode.OtherWrite) != 0)
        {
            return CredentialLoadResult.Failed(label, $"{path} can be written by any user, so anyone could choose the credential nono sends. Fix it with: chmod o-w {path}");
        }

        var length = stream.Length;
        if (length > options.MaxSecretBytes)
        {
            return CredentialLoadResult.Failed(label, $"{path} is {length} bytes long; a credential file holds just the key (at most {options.MaxSecretBytes} bytes).");
        }

        // One byte more than the size reported, to notice a file that grows while it is read.
        var buffer = GC.AllocateArray<byte>((int)length + 1, pinned: true);
        try
        {
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > length)
            {
                return CredentialLoadResult.Failed(label, $"{path} changed while it was being read; try again.");
            }

            var secret = new SecretBuffer(TextBytes.TrimOneTrailingNewline(buffer.AsSpan(0, total)));
            var warnings = (mode & OpenToOthers) != 0
                ? new[] { $"{path} is open to other users (mode {Convert.ToString((int)mode, 8)}); restrict it with: chmod 600 {path}" }
                : [];
            return CredentialLoadResult.Loaded(secret, label) with { Warnings = warnings };
        }
        catch (IOException e)
        {
            return CredentialLoadResult.Failed(label, $"Cannot read {path}: {e.Message}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
