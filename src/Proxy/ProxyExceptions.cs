namespace Nono.Proxy;

/// <summary>The proxy configuration is invalid or unsafe; the message says which setting and how to fix it.</summary>
public sealed class ProxyConfigException(string message) : Exception(message);

/// <summary>The proxy could not start (for example, its address is in use).</summary>
public sealed class ProxyStartException(string message, Exception? inner = null) : Exception(message, inner);
