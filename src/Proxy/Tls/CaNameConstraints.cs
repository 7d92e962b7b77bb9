using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Nono.Proxy.Tls;

/// <summary>
/// The X.509 name-constraints extension (RFC 5280 4.2.1.10) that limits the session CA to the hosts the
/// proxy may reach, so that even a leaked CA key could not vouch for anything else.
/// </summary>
/// <remarks>
/// dNSName semantics: a constraint <c>example.com</c> is satisfied by <c>example.com</c> and by any name
/// formed by adding labels on the left (<c>a.b.example.com</c>), but not by <c>badexample.com</c>. A leading
/// dot (<c>.example.com</c>) is not dNSName syntax in RFC 5280 (it is defined only for URIs and mail
/// addresses); OpenSSL, Go, NSS and GnuTLS read it as "subdomains only", others may not, so it is never
/// emitted. An allowlist entry <c>*.example.com</c> therefore becomes <c>example.com</c>, which also
/// admits the bare apex: a slight widening that every verifier agrees on.
/// A name form without any constraint is unconstrained, so when no IP literal is allowed every IPv4 and
/// IPv6 address is excluded explicitly, and when only IP literals are allowed DNS names are confined to
/// the reserved <c>nono.invalid</c>.
/// </remarks>
internal sealed class CaNameConstraints
{
    private const string NameConstraintsOid = "2.5.29.30";
    private const string NoDnsNamePlaceholder = "nono.invalid";

    private CaNameConstraints(IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> addresses)
    {
        PermittedDnsNames = dnsNames;
        PermittedAddresses = addresses;
    }

    /// <summary>DNS subtrees the CA may issue for; never empty in a built instance (see remarks).</summary>
    public IReadOnlyList<string> PermittedDnsNames { get; }

    /// <summary>Single addresses the CA may issue for; when empty, every address is excluded.</summary>
    public IReadOnlyList<IPAddress> PermittedAddresses { get; }

    /// <summary>
    /// Builds the constraints for an allowlist of exact names, <c>*.suffix</c> wildcards and IP literals.
    /// Returns null, with the reason, when the list cannot be expressed (empty, a bare <c>*</c>, or an entry
    /// of another form): the caller then runs without constraints and can say why.
    /// </summary>
    public static CaNameConstraints? FromAllowedHosts(IEnumerable<string> allowedHosts, out string? notAppliedReason)
    {
        var dnsNames = new List<string>();
        var addresses = new List<IPAddress>();
        foreach (var raw in allowedHosts)
        {
            var entry = raw.Trim();
            var suffix = entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry;
            if (!TlsHostName.TryParse(suffix, out var name) || (name.IsIpAddress && suffix.Length != entry.Length))
            {
                notAppliedReason = $"the allowed host '{raw}' cannot be expressed as an X.509 name constraint";
                return null;
            }

            if (name.Address is { } address)
            {
                if (!addresses.Contains(address))
                {
                    addresses.Add(address);
                }
            }
            else if (!dnsNames.Contains(name.Value))
            {
                dnsNames.Add(name.Value);
            }
        }

        if (dnsNames.Count == 0 && addresses.Count == 0)
        {
            notAppliedReason = "no allowed hosts are configured, so there is nothing to constrain the CA to";
            return null;
        }

        if (dnsNames.Count == 0)
        {
            dnsNames.Add(NoDnsNamePlaceholder);
        }

        notAppliedReason = null;
        return new CaNameConstraints(dnsNames, addresses);
    }

    /// <summary>Whether a leaf for <paramref name="name"/> satisfies these constraints, judged as verifiers do.</summary>
    public bool Permits(TlsHostName name)
    {
        if (name.Address is { } address)
        {
            return PermittedAddresses.Contains(address);
        }

        foreach (var constraint in PermittedDnsNames)
        {
            if (name.Value == constraint
                || (name.Value.Length > constraint.Length
                    && name.Value.EndsWith(constraint, StringComparison.Ordinal)
                    && name.Value[name.Value.Length - constraint.Length - 1] == '.'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The DER extension, marked critical as RFC 5280 requires of CAs.</summary>
    public X509Extension ToExtension()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                foreach (var dns in PermittedDnsNames)
                {
                    WriteDnsSubtree(writer, dns);
                }

                foreach (var address in PermittedAddresses)
                {
                    WriteAddressSubtree(writer, address, address.GetAddressBytes().Length * 8);
                }
            }

            if (PermittedAddresses.Count == 0)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                {
                    WriteAddressSubtree(writer, IPAddress.Any, 0);
                    WriteAddressSubtree(writer, IPAddress.IPv6Any, 0);
                }
            }
        }

        return new X509Extension(new Oid(NameConstraintsOid), writer.Encode(), critical: true);
    }

    // GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] DEFAULT 0, maximum [1] OPTIONAL }:
    // minimum and maximum keep their defaults, so a subtree is just its base name.
    private static void WriteDnsSubtree(AsnWriter writer, string dns)
    {
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, dns, new Asn1Tag(TagClass.ContextSpecific, 2));
        }
    }

    // iPAddress [7] in a constraint is the address followed by a mask of the same length.
    private static void WriteAddressSubtree(AsnWriter writer, IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        var value = new byte[bytes.Length * 2];
        bytes.CopyTo(value, 0);
        for (var bit = 0; bit < prefixLength; bit++)
        {
            value[bytes.Length + (bit / 8)] |= (byte)(0x80 >> (bit % 8));
        }

        using (writer.PushSequence())
        {
            writer.WriteOctetString(value, new Asn1Tag(TagClass.ContextSpecific, 7));
        }
    }
}
