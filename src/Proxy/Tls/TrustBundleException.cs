namespace Nono.Proxy.Tls;

/// <summary>
/// The trust bundle (session CA + system roots) could not be assembled or written. Whatever was created
/// on disk before the failure has already been removed when this is thrown.
/// </summary>
public sealed class TrustBundleException : Exception
{
    public TrustBundleException(string message)
        : base(message)
    {
    }

    public TrustBundleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
