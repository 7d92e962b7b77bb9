using System.Net;
using System.Net.Sockets;

namespace Nono.Proxy.Filter;

/// <summary>
/// Targets refused whatever the allowlist says: cloud instance-metadata services and every
/// link-local address (where those services live), in all the address forms that reach them.
/// Private (RFC 1918) and loopback addresses are not on this list: enterprise setups need them.
/// </summary>
internal static class DenyList
{
    private static readonly HashSet<string> MetadataNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.internal",
        "metadata.azure.com", "instance-data", "instance-data.ec2.internal", "metadata.ec2.internal",
        "metadata.tencentyun.com", "metadata.packet.net", "metadata.platformequinix.com",
        "metadata.oraclecloud.com", "metadata.internal",
    };

    private static readonly IPAddress AwsIpv6Metadata = IPAddress.Parse("fd00:ec2::254");

    /// <summary>True for a metadata service name (already lower-cased, without trailing dot).</summary>
    public static bool IsMetadataName(string host) =>
        MetadataNames.Contains(host) || host.EndsWith(".metadata.google.internal", StringComparison.Ordinal);

    /// <summary>Why <paramref name="address"/> is refused, or null when it is not on the list.</summary>
    public static string? Check(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return CheckV4(address.GetAddressBytes());
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return "not an IP address";

        var b = address.GetAddressBytes();
        if (address.Equals(AwsIpv6Metadata))
            return "cloud metadata address";
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
            return "link-local address";
        if (b[0] == 0xff)
            return "multicast address";
        if (address.Equals(IPAddress.IPv6Any))
            return "unspecified address";
        if (address.Equals(IPAddress.IPv6Loopback))
            return null;

        // Forms that carry an IPv4 address inside: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d),
        // SIIT translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::).
        if (address.IsIPv4MappedToIPv6 || IsZero(b, 0, 12) || IsSiitTranslated(b) || IsNat64(b))
            return CheckV4(b.AsSpan(12, 4).ToArray());
        if (b[0] == 0x20 && b[1] == 0x02)
            return CheckV4(b.AsSpan(2, 4).ToArray());
        if (IsLocalNat64(b))
            return CheckLocalNat64(b);
        return null;
    }

    /// <summary>
    /// RFC 8215's local-use NAT64 prefix 64:ff9b:1::/48: the operator picks the prefix length (48 to 96),
    /// which moves the IPv4 address (RFC 6052 section 2.2, skipping the u octet, byte 8). Refused when the
    /// address at any of those places would be.
    /// </summary>
    private static string? CheckLocalNat64(byte[] b)
    {
        ReadOnlySpan<int[]> layouts = [[12, 13, 14, 15], [9, 10, 11, 12], [7, 9, 10, 11], [6, 7, 9, 10]];
        foreach (var at in layouts)
        {
            if (CheckV4([b[at[0]], b[at[1]], b[at[2]], b[at[3]]]) is { } why)
                return why;
        }

        return null;
    }

    private static string? CheckV4(byte[] b)
    {
        if (b[0] == 169 && b[1] == 254)
            return "link-local address";
        if (b[0] == 100 && b[1] == 100 && b[2] == 100 && b[3] == 200)
            return "cloud metadata address";
        if (b[0] == 168 && b[1] == 63 && b[2] == 129 && b[3] == 16)
            return "cloud metadata address"; // Azure's platform endpoint (wire server, DNS, health)
        if (b[0] == 0)
            return "unspecified address";
        if (b[0] >= 224)
            return "multicast or reserved address";
        return null;
    }

    private static bool IsZero(byte[] b, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            if (b[i] != 0)
                return false;
        }

        return true;
    }

    private static bool IsSiitTranslated(byte[] b) => IsZero(b, 0, 8) && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0;

    private static bool IsLocalNat64(byte[] b) => b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0x00 && b[5] == 0x01;

    private static bool IsNat64(byte[] b) =>
        b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && IsZero(b, 4, 8);
}
