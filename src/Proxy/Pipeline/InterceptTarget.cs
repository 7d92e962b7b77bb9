namespace Nono.Proxy.Pipeline;

/// <summary>Where requests inside an intercepted TLS tunnel go when they name no other host.</summary>
internal sealed record InterceptTarget(string Host, int Port);
