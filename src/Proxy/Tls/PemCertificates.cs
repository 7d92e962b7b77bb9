using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Nono.Proxy.Tls;

/// <summary>Reads the CERTIFICATE blocks of PEM text and writes them back out, nothing else.</summary>
/// <remarks>
/// Only "CERTIFICATE" blocks are taken: keys that share a file with certificates never travel on, and
/// OpenSSL "TRUSTED CERTIFICATE" blocks are skipped because their auxiliary data can restrict trust and
/// would be lost. Each certificate's DER framing is checked (one complete SEQUENCE), not parsed in full:
/// one malformed entry would make OpenSSL-based clients reject the whole file, and full parsing of ~150
/// roots would cost milliseconds on every session start.
/// </remarks>
internal static class PemCertificates
{
    private const string CertificateLabel = "CERTIFICATE";

    public static List<byte[]> Read(ReadOnlySpan<char> pem)
    {
        var certificates = new List<byte[]>();
        while (PemEncoding.TryFind(pem, out var fields))
        {
            if (pem[fields.Label].SequenceEqual(CertificateLabel))
            {
                var der = new byte[fields.DecodedDataLength];
                if (Convert.TryFromBase64Chars(pem[fields.Base64Data], der, out var written) && IsSingleDerSequence(der.AsSpan(0, written)))
                {
                    certificates.Add(written == der.Length ? der : der[..written]);
                }
            }

            pem = pem[fields.Location.End..];
        }

        return certificates;
    }

    public static string Write(byte[] der) => PemEncoding.WriteString(CertificateLabel, der) + "\n";

    private static bool IsSingleDerSequence(ReadOnlySpan<byte> der)
    {
        try
        {
            var tag = Asn1Tag.Decode(der, out _);
            AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.DER, out _, out _, out var consumed);
            return tag.HasSameClassAndValue(Asn1Tag.Sequence) && consumed == der.Length;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }
}
