namespace Nono.Sandbox.Linux.Seccomp;

/// <summary>Which socket(2) families the filter lets through.</summary>
internal enum SocketRule
{
    /// <summary>AF_UNIX only (blocked network).</summary>
    UnixOnly,

    /// <summary>AF_UNIX, AF_INET, AF_INET6 (host network, or proxy mode inside a network namespace).</summary>
    UnixAndInet,

    /// <summary>AF_UNIX, and AF_INET/AF_INET6 only as TCP streams (proxy fallback without a namespace,
    /// where Landlock's TCP port rules are the confinement and UDP would bypass them).</summary>
    UnixAndInetTcpOnly,
}
