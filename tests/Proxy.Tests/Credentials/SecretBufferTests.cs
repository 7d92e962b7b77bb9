using System.Runtime.InteropServices;
using System.Text;
using Nono.Proxy.Credentials;

namespace Nono.Proxy.Tests.Credentials;

public sealed class SecretBufferTests
{
    [Fact]
    public void Dispose_zeroes_the_underlying_array()
    {
        var secret = new SecretBuffer("sk-live-0123456789"u8);
        var storage = secret.StorageForTests;
        Assert.Equal("sk-live-0123456789"u8.ToArray(), storage);

        secret.Dispose();

        Assert.All(storage, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Storage_is_pinned_so_the_collector_never_copies_it()
    {
        using var secret = new SecretBuffer("abc"u8);
        Assert.Equal(3, secret.Length);

        // Arrays on the pinned object heap never move: their address survives a compacting collection.
        var storage = secret.StorageForTests;
        var before = Marshal.UnsafeAddrOfPinnedArrayElement(storage, 0);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.Equal(before, Marshal.UnsafeAddrOfPinnedArrayElement(storage, 0));
    }

    [Fact]
    public void Use_after_dispose_throws_ObjectDisposedException_without_the_secret()
    {
        var secret = new SecretBuffer("hunter2-abcdef"u8);
        secret.Dispose();

        var spanError = Assert.Throws<ObjectDisposedException>(() => secret.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => secret.Length);
        Assert.Throws<ObjectDisposedException>(secret.Reveal);
        Assert.Throws<ObjectDisposedException>(() => secret.FixedTimeEquals("hunter2-abcdef"u8));
        Assert.DoesNotContain("hunter2", spanError.Message, StringComparison.Ordinal);
        secret.Dispose();
    }

    [Fact]
    public void ToString_never_shows_the_secret()
    {
        using var secret = new SecretBuffer("hunter2-abcdef"u8);
        Assert.DoesNotContain("hunter2", secret.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", $"{secret}", StringComparison.Ordinal);
    }

    [Fact]
    public void FixedTimeEquals_matches_only_the_same_bytes()
    {
        using var secret = new SecretBuffer("token-value"u8);
        Assert.True(secret.FixedTimeEquals("token-value"u8));
        Assert.False(secret.FixedTimeEquals("token-valuf"u8));
        Assert.False(secret.FixedTimeEquals("token-valu"u8));
        Assert.False(secret.FixedTimeEquals([]));
    }

    [Fact]
    public void FromChars_stores_UTF8_and_Reveal_round_trips()
    {
        using var secret = SecretBuffer.FromChars("clé-秘密");
        Assert.Equal(Encoding.UTF8.GetBytes("clé-秘密"), secret.Span.ToArray());
        Assert.Equal("clé-秘密", secret.Reveal());
    }
}
