namespace Nono.Proxy.Tls;

/// <summary>
/// A TLS interception or upstream TLS setting cannot be used as given (a CA validity out of range, an
/// unreadable extra root, a client certificate whose key does not match). The message names the setting
/// and what to change; it never contains key material.
/// </summary>
public sealed class TlsConfigurationException : Exception
{
    public TlsConfigurationException(string message)
        : base(message)
    {
    }

    public TlsConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
