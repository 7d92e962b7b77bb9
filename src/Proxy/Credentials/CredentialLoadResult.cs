namespace Nono.Proxy.Credentials;

/// <summary>
/// The outcome of loading one credential. Exactly one of <see cref="Secret"/> and <see cref="Error"/> is
/// set. <see cref="SourceLabel"/> describes where the credential was looked for (<c>env://OPENAI_API_KEY</c>,
/// <c>keyring:nono/openai</c>, ...) and, like <see cref="Error"/> and <see cref="Warnings"/>, never contains
/// the secret, so all three may be printed. The receiver owns <see cref="Secret"/> and disposes it.
/// </summary>
internal sealed record CredentialLoadResult(SecretBuffer? Secret, string SourceLabel, string? Error)
{
    /// <summary>Things the user should fix that did not stop the credential from loading (e.g. file permissions).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public bool Succeeded => Secret is not null;

    internal static CredentialLoadResult Loaded(SecretBuffer secret, string label) => new(secret, label, null);

    internal static CredentialLoadResult Failed(string label, string error) => new(null, label, error);
}
