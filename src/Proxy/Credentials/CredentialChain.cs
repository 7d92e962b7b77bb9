namespace Nono.Proxy.Credentials;

/// <summary>
/// Loads the first of several credential references that works: a built-in service's key comes from
/// the keyring, else from the service's conventional variable in the proxy's own environment. The
/// result's label is the source that loaded; when none did, the label lists every source tried and the
/// error says, per source, why it failed and how to store the key there.
/// </summary>
internal static class CredentialChain
{
    /// <exception cref="OperationCanceledException">Only when <paramref name="ct"/> is cancelled.</exception>
    public static ValueTask<CredentialLoadResult> LoadFirstAsync(IReadOnlyList<string> references, CancellationToken ct) =>
        LoadFirstAsync(references, CredentialLoaderOptions.Default, ct);

    /// <exception cref="OperationCanceledException">Only when <paramref name="ct"/> is cancelled.</exception>
    internal static async ValueTask<CredentialLoadResult> LoadFirstAsync(IReadOnlyList<string> references, CredentialLoaderOptions options, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfZero(references.Count);
        var failures = new List<CredentialLoadResult>();
        foreach (var reference in references)
        {
            var result = await CredentialLoader.LoadAsync(reference, options, ct).ConfigureAwait(false);
            if (result.Succeeded || references.Count == 1)
            {
                return result;
            }

            failures.Add(result);
        }

        var labels = string.Join(", else ", failures.Select(failure => failure.SourceLabel));
        var errors = string.Join(" ", failures.Select(failure => $"[{failure.SourceLabel}] {failure.Error}"));
        return CredentialLoadResult.Failed(labels, errors) with { Warnings = [.. failures.SelectMany(failure => failure.Warnings)] };
    }
}
