namespace Nono.Proxy.Tls;

/// <summary>
/// Environment variables that make common runtimes and tools trust the bundle. The bundle holds the
/// system roots too, so the variables that replace a tool's trust store (rather than add to it) are safe.
/// </summary>
internal static class TrustEnvironment
{
    /// <summary>Each variable, with the software that reads it.</summary>
    public static readonly IReadOnlyList<(string Name, string ReadBy)> Variables =
    [
        ("SSL_CERT_FILE", "OpenSSL and everything built on it: curl, Python ssl/urllib/httpx, Ruby, PHP; also Go on Linux and uv"),
        ("CURL_CA_BUNDLE", "the curl command line (and Python requests)"),
        ("REQUESTS_CA_BUNDLE", "Python requests, and tools built on it (pip's vendored copy, Azure CLI)"),
        ("NODE_EXTRA_CA_CERTS", "Node.js, Electron and Deno 2.8+ (added to their built-in roots)"),
        ("DENO_CERT", "Deno"),
        ("npm_config_cafile", "npm (the cafile setting)"),
        ("YARN_HTTPS_CA_FILE_PATH", "Yarn 4 (httpsCaFilePath)"),
        ("YARN_CA_FILE_PATH", "Yarn 2 and 3 (caFilePath)"),
        ("GIT_SSL_CAINFO", "git over https (http.sslCAInfo)"),
        ("PIP_CERT", "pip (--cert)"),
        ("HTTPLIB2_CA_CERTS", "Python httplib2 (Google API client libraries)"),
        ("AWS_CA_BUNDLE", "the AWS CLI and AWS SDKs"),
        ("CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE", "the Google Cloud CLI (core/custom_ca_certs_file)"),
        ("GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", "gRPC core and grpc-js"),
        ("CARGO_HTTP_CAINFO", "Cargo (http.cainfo)"),
        ("BUNDLE_SSL_CA_CERT", "Ruby Bundler (ssl_ca_cert)"),
        ("COMPOSER_CAFILE", "PHP Composer"),
        ("NIX_SSL_CERT_FILE", "Nix and nixpkgs-built programs"),
    ];

    /// <summary>The variables to add to the child's environment, all pointing at <paramref name="bundlePath"/>.</summary>
    public static IReadOnlyList<(string Name, string Value)> For(string bundlePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(bundlePath);
        return [.. Variables.Select(v => (v.Name, bundlePath))];
    }
}
