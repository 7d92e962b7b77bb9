namespace Nono.Proxy.Credentials;

/// <summary>
/// <c>env://VAR</c>: a variable of the supervisor's own environment. The child never sees it: the
/// supervisor builds the child's environment itself, and a route's variable carries the phantom token.
/// </summary>
/// <remarks>
/// The runtime hands the value over as a string, which cannot be zeroed; it is copied into a
/// <see cref="SecretBuffer"/> at once and the string is dropped, but it (and the process's environment
/// block) stay in memory. Prefer the keyring or a file when that matters.
/// </remarks>
internal static class EnvironmentSource
{
    public static CredentialLoadResult Load(CredentialReference reference)
    {
        var value = Environment.GetEnvironmentVariable(reference.Target);
        if (value is null)
        {
            return CredentialLoadResult.Failed(
                reference.Label,
                $"The environment variable {reference.Target} is not set in nono's environment. Export it before "
                + "starting nono, or keep the key in the keyring (keyring://service/account) or a file (file:///path).");
        }

        var text = value.AsSpan();
        if (text.EndsWith("\r\n", StringComparison.Ordinal))
        {
            text = text[..^2];
        }
        else if (text.EndsWith('\n'))
        {
            text = text[..^1];
        }

        return CredentialLoadResult.Loaded(SecretBuffer.FromChars(text), reference.Label);
    }
}
