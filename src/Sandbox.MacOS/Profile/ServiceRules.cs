namespace Nono.Sandbox.MacOS.Profile;

/// <summary>
/// Mach services. Programs reach much of macOS through them (logging, name lookup, trust evaluation,
/// preferences), so lookups are allowed in general; the services that hand out credentials, and
/// those that would run code or read data outside the sandbox, are refused after that.
/// </summary>
internal static class ServiceRules
{
    /// <summary>The keychain: securityd (file keychains), the data-protection keychain daemon, and
    /// CryptoTokenKit (keys on smart cards and security keys).</summary>
    private static readonly string[] KeychainServices =
    [
        "(global-name \"com.apple.SecurityServer\")",
        "(global-name-prefix \"com.apple.securityd\")",
        "(global-name-prefix \"com.apple.secd\")",
        "(global-name-prefix \"com.apple.ctkd\")",
    ];

    /// <summary>Ways out: LaunchServices opens applications and documents in processes that are not
    /// children of the sandbox (`open -a Terminal script`); the pasteboard holds whatever the user
    /// last copied, often a password.</summary>
    private static readonly string[] EscapeServices =
    [
        "(global-name \"com.apple.coreservices.launchservicesd\")",
        "(global-name-prefix \"com.apple.lsd.\")",
        "(global-name-prefix \"com.apple.pasteboard.\")",
        "(global-name-prefix \"com.apple.pbs.\")",
    ];

    /// <summary>Services that reach the network on the program's behalf: the system resolver
    /// (Network.framework resolves names through it, and a name lookup carries data out even when
    /// no connection is allowed) and background URL transfers. Refused unless the network is open.</summary>
    private static readonly string[] NetworkServices =
    [
        "(global-name-prefix \"com.apple.dnssd\")",
        "(global-name \"com.apple.mDNSResponder\")",
        "(global-name-prefix \"com.apple.nsurlsessiond\")",
    ];

    public static void WriteAllow(ProfileWriter profile)
    {
        profile.Comment("mach services: allowed, except those refused at the end of this profile");
        profile.AllowAll("mach-lookup");
        profile.Blank();
    }

    public static void WriteDenies(ProfileWriter profile, bool keychainGranted, NetworkMode network)
    {
        if (network != NetworkMode.Host)
        {
            profile.Comment("no name resolution or transfers by system services: the network is not open");
            profile.Deny("mach-lookup", NetworkServices);
        }

        if (keychainGranted)
        {
            profile.Comment("the policy grants the keychain directory, so the keychain services stay reachable");
        }
        else
        {
            profile.Comment("no keychain: the policy does not grant it");
            profile.Deny("mach-lookup", KeychainServices);
        }

        profile.Comment("no launching outside the sandbox, no reading the pasteboard");
        profile.Deny("mach-lookup", EscapeServices);
    }
}
