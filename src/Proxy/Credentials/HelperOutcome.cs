using System.Globalization;
using System.Security.Cryptography;

namespace Nono.Proxy.Credentials;

/// <summary>Turns a finished helper run into a credential or an error that names the helper and what to check.</summary>
internal static class HelperOutcome
{
    /// <param name="what">How messages name the helper, at the start of a sentence: <c>secret-tool</c>, <c>cmd://pass show x</c>.</param>
    /// <param name="hint">What the user should check when it failed.</param>
    public static CredentialLoadResult ToResult(HelperRun run, string label, string what, TimeSpan timeout, string hint)
    {
        if (run.StartError is not null)
        {
            return CredentialLoadResult.Failed(label, $"{what} could not be started: {run.StartError}");
        }

        if (run.TimedOut)
        {
            var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return CredentialLoadResult.Failed(label, $"{what} did not finish within {seconds} s and was killed. "
                + $"It runs without a terminal and with empty input, so it must not wait for either. {hint}");
        }

        if (run.ExitCode != 0)
        {
            return CredentialLoadResult.Failed(label, $"{what} exited with code {run.ExitCode}: {ScrubbedStderr(run)}. {hint}");
        }

        if (run.Stdout.Truncated)
        {
            return CredentialLoadResult.Failed(label, $"{what} printed more than a credential could be; print just the key.");
        }

        var secret = TextBytes.TrimOneTrailingNewline(run.Stdout.Bytes);
        return secret.IsEmpty
            ? CredentialLoadResult.Failed(label, $"{what} succeeded but printed nothing on its standard output; it must print the credential.")
            : CredentialLoadResult.Loaded(new SecretBuffer(secret), label);
    }

    /// <summary>The helper's error output, less anything it also printed on stdout (which may be the secret).</summary>
    private static string ScrubbedStderr(HelperRun run)
    {
        var needles = SecretScrubber.NeedlesFrom(run.Stdout.Bytes);
        try
        {
            var scrubbed = SecretScrubber.Scrub(run.Stderr.Bytes, needles, run.Stderr.Truncated);
            return TextBytes.Excerpt(scrubbed, run.Stderr.Truncated);
        }
        finally
        {
            foreach (var needle in needles)
            {
                CryptographicOperations.ZeroMemory(needle);
            }
        }
    }
}
