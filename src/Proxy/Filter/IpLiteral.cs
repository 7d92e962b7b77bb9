using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Nono.Proxy.Filter;

/// <summary>
/// Recognises IP literals in every spelling a resolver or URL parser may accept, so that a filter
/// decision is taken on the address that would really be connected to. IPv4 follows inet_aton(3):
/// one to four parts, each decimal, octal (leading 0) or hex (0x), the last part filling the
/// remaining bytes (<c>2852039166</c>, <c>0xa9fea9fe</c>, <c>0251.0376.0251.0376</c>, <c>169.254.43518</c>).
/// </summary>
internal static class IpLiteral
{
    public enum Kind { NotLiteral, Address, Invalid }

    /// <summary>
    /// <see cref="Kind.Invalid"/> is a host that looks numeric (its last label is a number) but is not a
    /// valid address: such names are refused rather than handed to a resolver that may read them differently.
    /// </summary>
    public static Kind Classify(string host, out IPAddress? address)
    {
        address = null;
        if (host.Contains(':', StringComparison.Ordinal))
        {
            var withoutZone = host.Split('%', 2)[0];
            if (IPAddress.TryParse(withoutZone, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = v6;
                return Kind.Address;
            }

            return Kind.Invalid;
        }

        var parts = host.Split('.');
        if (!IsNumericPart(parts[^1]))
            return Kind.NotLiteral;
        if (parts.Length > 4)
            return Kind.Invalid;

        var values = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParsePart(parts[i], out values[i]))
                return Kind.Invalid;
        }

        if (!TryCombine(values, out var combined))
            return Kind.Invalid;

        address = new IPAddress(new[] { (byte)(combined >> 24), (byte)(combined >> 16), (byte)(combined >> 8), (byte)combined });
        return Kind.Address;
    }

    private static bool IsNumericPart(string part) =>
        part.Length > 0 && (char.IsAsciiDigit(part[0]) || part.StartsWith("0x", StringComparison.OrdinalIgnoreCase));

    private static bool TryParsePart(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0 || part.Length > 34)
            return false;
        if (part.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = part[2..];
            return hex.Length == 0 || ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (part.Length > 1 && part[0] == '0')
        {
            foreach (var c in part)
            {
                if (c is < '0' or > '7')
                    return false;
                value = (value * 8) + (ulong)(c - '0');
                if (value > uint.MaxValue)
                    return false;
            }

            return true;
        }

        foreach (var c in part)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }

        return ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryCombine(ulong[] values, out uint combined)
    {
        combined = 0;
        var lastBits = 8 * (5 - values.Length);
        for (var i = 0; i < values.Length - 1; i++)
        {
            if (values[i] > 0xFF)
                return false;
            combined |= (uint)values[i] << (24 - (8 * i));
        }

        var last = values[^1];
        if (lastBits < 64 && last >= 1UL << lastBits)
            return false;
        combined |= (uint)last;
        return true;
    }
}
