namespace Nono.Proxy.Credentials;

/// <summary>
/// Loads the credential a <see cref="RouteConfig.CredentialKey"/> refers to:
/// <list type="bullet">
/// <item><c>env://VAR</c>: the supervisor's environment (<see cref="EnvironmentSource"/>)</item>
/// <item><c>file:///absolute/path</c>: a file (<see cref="FileSource"/>)</item>
/// <item><c>keyring://service/account</c>, or a bare account name under service <c>nono</c>: the OS keyring (<see cref="KeyringSource"/>)</item>
/// <item><c>cmd://command args</c>: a program's output (<see cref="CommandSource"/>)</item>
/// <item><c>op://vault/item/field</c>: 1Password (<see cref="OnePasswordSource"/>)</item>
/// </list>
/// A credential that cannot be loaded is not an exception: the result's <see cref="CredentialLoadResult.Error"/>
/// says what failed and how to fix it, and neither it nor the label ever contains the secret.
/// </summary>
internal static class CredentialLoader
{
    /// <exception cref="OperationCanceledException">Only when <paramref name="ct"/> is cancelled.</exception>
    public static ValueTask<CredentialLoadResult> LoadAsync(string reference, CancellationToken ct) =>
        LoadAsync(reference, CredentialLoaderOptions.Default, ct);

    /// <exception cref="OperationCanceledException">Only when <paramref name="ct"/> is cancelled.</exception>
    internal static async ValueTask<CredentialLoadResult> LoadAsync(string reference, CredentialLoaderOptions options, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (!CredentialReference.TryParse(reference, out var parsed, out var label, out var parseError))
        {
            return CredentialLoadResult.Failed(label, parseError);
        }

        CredentialLoadResult result;
        try
        {
            result = parsed.Kind switch
            {
                CredentialSourceKind.Environment => EnvironmentSource.Load(parsed),
                CredentialSourceKind.File => FileSource.Load(parsed, options),
                CredentialSourceKind.Keyring => await KeyringSource.LoadAsync(parsed, options, ct).ConfigureAwait(false),
                CredentialSourceKind.Command => await CommandSource.LoadAsync(parsed, options, ct).ConfigureAwait(false),
                CredentialSourceKind.OnePassword => await OnePasswordSource.LoadAsync(parsed, options, ct).ConfigureAwait(false),
                _ => CredentialLoadResult.Failed(parsed.Label, "Unsupported credential source."),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A source failing in a way it did not foresee is still a failed credential, not a crash. The
            // exception text comes from I/O and process APIs, which never see the secret's value.
            return CredentialLoadResult.Failed(parsed.Label, $"Loading the credential failed unexpectedly: {e.Message}");
        }

        return result.Secret is null ? result : Validate(result);
    }

    /// <summary>Refuses values that cannot be a credential, and keeps the secret out of the label.</summary>
    private static CredentialLoadResult Validate(CredentialLoadResult result)
    {
        var secret = result.Secret!;
        var problem = TextBytes.ProblemWithCredential(secret.Span);
        var label = SecretScrubber.Scrub(result.SourceLabel, secret.Span);
        if (problem is not null)
        {
            secret.Dispose();
            return CredentialLoadResult.Failed(label, $"The credential from {label} {problem}.") with { Warnings = result.Warnings };
        }

        return label == result.SourceLabel ? result : result with { SourceLabel = label };
    }
}
