namespace Nono.Proxy.Credentials;

/// <summary>
/// <c>cmd://command args</c>: what a program prints on stdout, less one trailing newline, e.g.
/// <c>cmd://pass show openai</c> or <c>cmd://vault kv get -field=key secret/openai</c>.
/// </summary>
/// <remarks>
/// The command line is split into arguments without a shell (<see cref="CommandLineSplitter"/>), the
/// program is found on PATH, and it runs with empty stdin, no terminal and a time limit
/// (<see cref="CredentialLoaderOptions.CommandTimeout"/>, 10 s). Its output is read into pinned,
/// zeroed buffers and never becomes a string. When it fails, the error quotes its stderr with anything
/// it printed on stdout removed, so a tool that echoes the secret in its complaint does not leak it.
/// </remarks>
internal static class CommandSource
{
    public static async ValueTask<CredentialLoadResult> LoadAsync(CredentialReference reference, CredentialLoaderOptions options, CancellationToken ct)
    {
        if (!CommandLineSplitter.TrySplit(reference.Target, out var arguments, out var splitError))
        {
            return CredentialLoadResult.Failed(reference.Label, $"{splitError} Quote arguments with '...' or \"...\".");
        }

        var program = arguments[0];
        if (!ExecutableLocator.TryFind(program, options.SearchPath, out var executable))
        {
            return CredentialLoadResult.Failed(reference.Label, program.Contains('/', StringComparison.Ordinal)
                ? $"{program} does not exist or is not executable."
                : $"{program} was not found on PATH; install it or give its absolute path (cmd:///usr/bin/{program} ...).");
        }

        using var run = await HelperProcess.RunAsync(executable, arguments[1..], options.CommandTimeout, options, ct).ConfigureAwait(false);
        return HelperOutcome.ToResult(run, reference.Label, reference.Label, options.CommandTimeout, "Run it yourself to see what it needs.");
    }
}
