namespace Nono.Proxy.Tests.Credentials;

internal static class TestSecrets
{
    /// <summary>A value unique to one test, so finding it anywhere means that test leaked it.</summary>
    public static string New() => "nono-test-secret-" + Guid.NewGuid().ToString("N");

    /// <summary>Fails if <paramref name="secret"/> appears in anything a user or a log could see.</summary>
    public static void AssertNotLeaked(Proxy.Credentials.CredentialLoadResult result, string secret)
    {
        Assert.DoesNotContain(secret, result.SourceLabel, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, result.Error ?? "", StringComparison.Ordinal);
        foreach (var warning in result.Warnings)
        {
            Assert.DoesNotContain(secret, warning, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(secret, result.ToString(), StringComparison.Ordinal);
    }
}
