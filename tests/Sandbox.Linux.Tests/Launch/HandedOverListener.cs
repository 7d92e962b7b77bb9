using System.Net.Sockets;
using System.Text;

namespace Nono.Sandbox.Linux.Tests.Launch;

/// <summary>Reads what a sandboxed probe sends through a listener stage 2 handed over.</summary>
internal static class HandedOverListener
{
    /// <summary>Accepts one connection on <paramref name="listener"/> and returns all it sends, as ASCII.</summary>
    public static async Task<string> ReceiveAllAsync(Socket listener)
    {
        var ct = TestContext.Current.CancellationToken;
        using var connection = await listener.AcceptAsync(ct);
        var buffer = new byte[64];
        var received = new StringBuilder();
        int read;
        while ((read = await connection.ReceiveAsync(buffer, ct)) > 0)
        {
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return received.ToString();
    }
}
