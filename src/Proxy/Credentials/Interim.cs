// INTERIM: a minimal stand-in for the credential loader, handling env:// only, so the proxy builds and
// is testable on its own. The full implementation in this folder replaces this file; delete it then.
using System.Security.Cryptography;
using System.Text;

namespace Nono.Proxy.Credentials;

/// <summary>A secret held in pinned memory and zeroed on dispose.</summary>
internal sealed class SecretBuffer : IDisposable
{
    private readonly byte[] _bytes;
    private bool _disposed;

    public SecretBuffer(ReadOnlySpan<byte> value)
    {
        _bytes = GC.AllocateArray<byte>(value.Length, pinned: true);
        value.CopyTo(_bytes);
    }

    public ReadOnlySpan<byte> Span => _disposed ? throw new ObjectDisposedException(nameof(SecretBuffer)) : _bytes;

    /// <summary>The secret as a string, only for building the outgoing header or URL.</summary>
    public string Reveal() => Encoding.UTF8.GetString(Span);

    public void Dispose()
    {
        if (_disposed)
            return;
        CryptographicOperations.ZeroMemory(_bytes);
        _disposed = true;
    }
}

internal sealed record CredentialLoadResult(SecretBuffer? Secret, string SourceLabel, string? Error);

internal static class CredentialLoader
{
    public static ValueTask<CredentialLoadResult> LoadAsync(string reference, CancellationToken ct)
    {
        _ = ct;
        if (!reference.StartsWith("env://", StringComparison.Ordinal))
            return ValueTask.FromResult(new CredentialLoadResult(null, reference, "only env:// credentials are supported by this build"));

        var name = reference["env://".Length..];
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(value))
            return ValueTask.FromResult(new CredentialLoadResult(null, reference, $"environment variable {name} is not set"));

        var bytes = Encoding.UTF8.GetBytes(value);
        try
        {
            return ValueTask.FromResult(new CredentialLoadResult(new SecretBuffer(bytes), reference, null));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
