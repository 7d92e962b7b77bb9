namespace Nono.Proxy;

/// <summary>
/// One allowed endpoint of a route: an HTTP method (or <c>*</c>) and a path glob relative to the
/// route's upstream (<c>*</c> matches within one segment, <c>**</c> across segments). When a route
/// has any rules, a request matching none of them is refused with 403.
/// </summary>
public sealed record EndpointRule(string Method, string PathGlob);
