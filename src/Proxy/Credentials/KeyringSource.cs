namespace Nono.Proxy.Credentials;

/// <summary>
/// <c>keyring://service/account</c> (and a bare account name, service <c>nono</c>): the OS keyring,
/// read through its command-line client so that nono links no keyring library. On Linux that is
/// <c>secret-tool</c> (the freedesktop Secret Service: GNOME Keyring, KWallet, KeePassXC), on macOS
/// <c>security</c> (the login keychain).
/// </summary>
/// <remarks>
/// <c>security -w</c> prints a password that is not plain printable ASCII as hex, so keychain entries
/// must hold the key as text (API keys always are). secret-tool prints the stored bytes as they are.
/// </remarks>
internal static class KeyringSource
{
    /// <summary><c>security</c>'s exit status for errSecItemNotFound.</summary>
    private const int MacItemNotFound = 44;

    public static async ValueTask<CredentialLoadResult> LoadAsync(CredentialReference reference, CredentialLoaderOptions options, CancellationToken ct)
    {
        var backend = options.Keyring ?? (OperatingSystem.IsMacOS() ? KeyringBackend.MacKeychain : KeyringBackend.SecretService);
        if (options.Keyring is null && !OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return CredentialLoadResult.Failed(reference.Label, "The OS keyring is supported on Linux and macOS only; use env:// or file:// here.");
        }

        var service = reference.KeyringService ?? CredentialReference.DefaultKeyringService;
        var account = reference.Target;
        return backend == KeyringBackend.MacKeychain
            ? await LoadFromKeychainAsync(reference.Label, service, account, options, ct).ConfigureAwait(false)
            : await LoadFromSecretServiceAsync(reference.Label, service, account, options, ct).ConfigureAwait(false);
    }

    private static async ValueTask<CredentialLoadResult> LoadFromSecretServiceAsync(string label, string service, string account, CredentialLoaderOptions options, CancellationToken ct)
    {
        if (!ExecutableLocator.TryFind("secret-tool", options.SearchPath, out var tool))
        {
            return CredentialLoadResult.Failed(label, "secret-tool was not found on PATH. Install it (Debian/Ubuntu: apt install libsecret-tools; "
                + "Fedora: dnf install libsecret), or use env:// or file:// instead of the keyring.");
        }

        using var run = await HelperProcess.RunAsync(tool, ["lookup", "service", service, "account", account], options.HelperTimeout, options, ct).ConfigureAwait(false);
        var storeHint = $"Store it with: secret-tool store --label='nono {service}/{account}' service {service} account {account}";
        if (run.ExitCode == 1 && run.Stderr.Bytes.IsEmpty && run.Stdout.Bytes.IsEmpty && !run.TimedOut && run.StartError is null)
        {
            // secret-tool reports "no such item" as a silent exit status 1.
            return CredentialLoadResult.Failed(label, $"The keyring has no secret with service '{service}' and account '{account}'. {storeHint}");
        }

        return HelperOutcome.ToResult(run, label, "secret-tool", options.HelperTimeout,
            "Is a Secret Service (GNOME Keyring, KWallet, KeePassXC) running and unlocked in this session, and is DBUS_SESSION_BUS_ADDRESS set?");
    }

    private static async ValueTask<CredentialLoadResult> LoadFromKeychainAsync(string label, string service, string account, CredentialLoaderOptions options, CancellationToken ct)
    {
        if (!ExecutableLocator.TryFind("security", options.SearchPath, out var tool))
        {
            return CredentialLoadResult.Failed(label, "The macOS 'security' tool was not found on PATH (it is normally /usr/bin/security).");
        }

        using var run = await HelperProcess.RunAsync(tool, ["find-generic-password", "-s", service, "-a", account, "-w"], options.HelperTimeout, options, ct).ConfigureAwait(false);
        if (run.ExitCode == MacItemNotFound && !run.TimedOut && run.StartError is null)
        {
            return CredentialLoadResult.Failed(label, $"The keychain has no generic password with service '{service}' and account '{account}'. "
                + $"Store it with: security add-generic-password -s {service} -a {account} -w");
        }

        return HelperOutcome.ToResult(run, label, "security", options.HelperTimeout, "Is the login keychain unlocked?");
    }
}
