namespace Nono.Proxy.Credentials;

/// <summary>Which OS keyring a <c>keyring://</c> reference is read from.</summary>
internal enum KeyringBackend
{
    /// <summary>The freedesktop Secret Service (GNOME Keyring, KWallet, KeePassXC) through <c>secret-tool</c>.</summary>
    SecretService,

    /// <summary>The macOS login keychain through <c>security</c>.</summary>
    MacKeychain,
}

/// <summary>How <see cref="CredentialLoader"/> runs helper programs. The defaults are what nono uses.</summary>
internal sealed record CredentialLoaderOptions
{
    public static CredentialLoaderOptions Default { get; } = new();

    /// <summary>How long a <c>cmd://</c> command may run before it is killed.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long <c>secret-tool</c>, <c>security</c> and <c>op</c> may run. Longer than for commands because
    /// they may show an unlock prompt and wait for the user.
    /// </summary>
    public TimeSpan HelperTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest credential accepted from any source; anything bigger is not an API key.</summary>
    public int MaxSecretBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Variables set (or, with a null value, removed) in helper programs' environment on top of this
    /// process's. A PATH given here is also where the helper programs themselves are looked up.
    /// </summary>
    public IReadOnlyDictionary<string, string?> HelperEnvironment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Null: the keyring of the operating system nono runs on.</summary>
    public KeyringBackend? Keyring { get; init; }

    internal string SearchPath =>
        (HelperEnvironment.TryGetValue("PATH", out var path) ? path : Environment.GetEnvironmentVariable("PATH"))
        ?? "/usr/local/bin:/usr/bin:/bin";
}
