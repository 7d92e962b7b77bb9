using Nono.Proxy.Tls;

namespace Nono.Proxy.Tests.Tls;

public sealed class LeafCertificateCacheTests
{
    [Fact]
    public async Task Concurrent_requests_for_a_new_name_share_a_single_mint()
    {
        using var pki = TestPki.Create();
        using var cache = new LeafCertificateCache(pki.Minter);
        using var start = new ManualResetEventSlim();
        var name = TlsHostName.Parse(TestPki.AllowedHost);

        var tasks = Enumerable.Range(0, 32).Select(_ => Task.Run(() =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            return cache.GetOrMint(name);
        })).ToArray();
        start.Set();
        var leaves = await Task.WhenAll(tasks);

        Assert.Equal(1, cache.MintCount);
        Assert.All(leaves, leaf => Assert.Same(leaves[0], leaf));
    }

    [Fact]
    public void Cache_holds_at_most_its_capacity_and_evicts_the_least_recently_used()
    {
        using var pki = TestPki.Create();
        using var cache = new LeafCertificateCache(pki.Minter, capacity: 3);
        TlsHostName Name(string label) => TlsHostName.Parse($"{label}.nono-test.example");

        var a = cache.GetOrMint(Name("a"));
        cache.GetOrMint(Name("b"));
        cache.GetOrMint(Name("c"));
        Assert.Same(a, cache.GetOrMint(Name("a"))); // a is now the most recently used
        cache.GetOrMint(Name("d"));                  // evicts b

        Assert.Equal(3, cache.Count);
        Assert.Equal(4, cache.MintCount);
        Assert.Same(a, cache.GetOrMint(Name("a")));
        cache.GetOrMint(Name("b"));
        Assert.Equal(5, cache.MintCount);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void Default_capacity_is_1024_and_many_names_never_grow_it_further()
    {
        var minted = 0;
        using var pki = TestPki.Create();
        using var template = pki.Minter.Mint(TlsHostName.Parse(TestPki.AllowedHost));
        using var cache = new LeafCertificateCache(name =>
        {
            minted++;
            return new LeafCertificate(name, template.Certificate, template.Context);
        }, LeafCertificateCache.DefaultCapacity);

        for (var i = 0; i < 1500; i++)
        {
            cache.GetOrMint(TlsHostName.Parse($"h{i}.nono-test.example"));
        }

        Assert.Equal(1024, cache.Capacity);
        Assert.Equal(1024, cache.Count);
        Assert.Equal(1500, minted);
    }

    [Fact]
    public void A_failed_mint_is_not_cached()
    {
        using var pki = TestPki.Create();
        var attempts = 0;
        using var cache = new LeafCertificateCache(name =>
        {
            if (++attempts == 1)
            {
                throw new InvalidOperationException("first mint fails");
            }

            return pki.Minter.Mint(name);
        }, capacity: 8);
        var host = TlsHostName.Parse(TestPki.AllowedHost);

        Assert.Throws<InvalidOperationException>(() => cache.GetOrMint(host));
        Assert.Equal(0, cache.Count);
        Assert.NotNull(cache.GetOrMint(host));
        Assert.Equal(2, attempts);
    }

    [Fact]
    public void Disposing_the_cache_disposes_its_leaves_and_refuses_new_requests()
    {
        using var pki = TestPki.Create();
        var cache = new LeafCertificateCache(pki.Minter);
        var leaf = cache.GetOrMint(TlsHostName.Parse(TestPki.AllowedHost));

        cache.Dispose();

        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => leaf.Certificate.Thumbprint);
        Assert.Throws<ObjectDisposedException>(() => cache.GetOrMint(TlsHostName.Parse(TestPki.AllowedHost)));
    }
}
