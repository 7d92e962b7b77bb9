using System.Text;
using CliWrap.Buffered;

namespace Nono.Proxy.Tests.Infrastructure;

/// <summary>Searches files on disk for a private key's bytes, for the tests that prove a CA key never
/// reaches the disk.</summary>
internal static class KeyScan
{
    /// <summary>Regular files under <paramref name="directory"/> modified since <paramref name="sinceUtc"/>.
    /// Regular files only (find -type f): the temp directory holds FIFOs of other programs (every .NET
    /// process leaves clr-debug-pipe-* there), and opening one for reading waits for a writer forever.</summary>
    public static async Task<List<string>> RegularFilesWrittenSinceAsync(string directory, DateTime sinceUtc)
    {
        var result = await CliWrap.Cli.Wrap("find")
            .WithArguments([directory, "-xdev", "-type", "f", "-newermt", sinceUtc.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC", "-size", "-16M"])
            .WithValidation(CliWrap.CommandResultValidation.None)
            .ExecuteBufferedAsync(TestContext.Current.CancellationToken);
        return [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>The files that contain any of <paramref name="needles"/>, or (with
    /// <paramref name="anyPrivateKeyLabel"/>) any PEM private key at all.</summary>
    public static List<string> FilesHolding(IEnumerable<string> files, IReadOnlyList<byte[]> needles, bool anyPrivateKeyLabel)
    {
        var found = new List<string>();
        foreach (var file in files)
        {
            byte[] content;
            try
            {
                content = File.ReadAllBytes(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // another program's file, gone or private
            }

            if ((anyPrivateKeyLabel && Encoding.Latin1.GetString(content).Contains("PRIVATE KEY", StringComparison.Ordinal))
                || needles.Any(needle => content.AsSpan().IndexOf(needle) >= 0))
            {
                found.Add(file);
            }
        }

        return found;
    }
}
