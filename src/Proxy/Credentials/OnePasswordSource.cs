namespace Nono.Proxy.Credentials;

/// <summary>
/// <c>op://vault/item/field</c>: a 1Password secret reference, read with the 1Password CLI
/// (<c>op read</c>). The CLI must be signed in (desktop-app integration, <c>op signin</c>, or
/// OP_SERVICE_ACCOUNT_TOKEN in nono's environment).
/// </summary>
internal static class OnePasswordSource
{
    public static async ValueTask<CredentialLoadResult> LoadAsync(CredentialReference reference, CredentialLoaderOptions options, CancellationToken ct)
    {
        if (!ExecutableLocator.TryFind("op", options.SearchPath, out var op))
        {
            return CredentialLoadResult.Failed(reference.Label, "The 1Password CLI 'op' was not found on PATH. Install it "
                + "(https://developer.1password.com/docs/cli/get-started/) or use another credential source.");
        }

        // --no-newline: the value is exactly the field; a newline is still trimmed for older CLIs.
        using var run = await HelperProcess.RunAsync(op, ["read", "--no-newline", reference.Target], options.HelperTimeout, options, ct).ConfigureAwait(false);
        return HelperOutcome.ToResult(run, reference.Label, "op read", options.HelperTimeout,
            "Is the 1Password CLI signed in (op signin, the desktop app integration, or OP_SERVICE_ACCOUNT_TOKEN), and does the reference name an existing field?");
    }
}
