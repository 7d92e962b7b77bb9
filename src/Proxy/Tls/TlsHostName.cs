using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Nono.Proxy.Tls;

/// <summary>
/// A name a leaf certificate can be minted for and an SNI value can be compared with: either a
/// lower-case ASCII DNS name without a trailing dot, or an IP literal in its canonical text form.
/// Clients put IDNs on the wire as A-labels, so non-ASCII input is refused rather than converted.
/// </summary>
internal readonly record struct TlsHostName
{
    private TlsHostName(string value, IPAddress? address)
    {
        Value = value;
        Address = address;
    }

    /// <summary>Canonical text: the lower-case DNS name, or the IP address as <see cref="IPAddress.ToString"/> prints it.</summary>
    public string Value { get; }

    /// <summary>Set when the name is an IP literal.</summary>
    public IPAddress? Address { get; }

    public bool IsIpAddress => Address is not null;

    public override string ToString() => Value;

    public static TlsHostName Parse(string text) =>
        TryParse(text, out var name)
            ? name
            : throw new ArgumentException($"'{text}' is not a host name or IP address a certificate can be issued for.", nameof(text));

    public static bool TryParse(string? text, out TlsHostName name)
    {
        name = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (TryParseIpLiteral(text, out var address))
        {
            name = new TlsHostName(address.ToString(), address);
            return true;
        }

        var dns = text.EndsWith('.') ? text[..^1] : text;
        if (!IsDnsName(dns))
        {
            return false;
        }

        name = new TlsHostName(dns.ToLowerInvariant(), null);
        return true;
    }

    /// <summary>
    /// Accepts dotted-quad IPv4 and IPv6 (optionally in brackets). IPAddress.TryParse alone would also take
    /// "10.1" or "0x7f.1", forms no TLS client sends and no SAN should be minted for.
    /// </summary>
    private static bool TryParseIpLiteral(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var candidate = text.Length > 2 && text[0] == '[' && text[^1] == ']' ? text[1..^1] : text;
        if (candidate.Contains(':', StringComparison.Ordinal))
        {
            if (candidate.Contains('%', StringComparison.Ordinal)
                || !IPAddress.TryParse(candidate, out var v6)
                || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            address = v6;
            return true;
        }

        var parts = candidate.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit)
                || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return false;
            }
        }

        address = IPAddress.Parse(candidate);
        return true;
    }

    /// <summary>RFC 1123 host names, plus '_' which real hosts use despite the standards.</summary>
    internal static bool IsDnsName(string name)
    {
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
                {
                    return false;
                }
            }
        }

        // An all-numeric last label would make "1.2.3.4"-like names that are not IP literals.
        var last = name[(name.LastIndexOf('.') + 1)..];
        return !last.All(char.IsAsciiDigit);
    }
}
