namespace Nono.Proxy.Tests.Credentials;

/// <summary>
/// Stand-ins for helper programs that cannot run on this machine: the 1Password CLI is not packaged
/// for Debian, and macOS's security(1) exists only on macOS. Each script checks that it got exactly
/// the arguments the real tool documents, answers like the real tool (output, stderr, exit status),
/// and fails loudly on anything else, so the tests exercise nono's side of the conversation for real.
/// </summary>
internal static class FakeTools
{
    /// <summary>security find-generic-password -s SERVICE -a ACCOUNT -w; exit 44 (errSecItemNotFound) when absent.</summary>
    public static string WriteSecurity(TempDirectory dir, string service, string account) => dir.WriteScript("security", $$"""
        if [ "$#" -ne 6 ] || [ "$1" != find-generic-password ] || [ "$2" != -s ] || [ "$4" != -a ] || [ "$6" != -w ]; then
          echo "fake security: unexpected arguments: $*" >&2; exit 64
        fi
        if [ "$3" = '{{service}}' ] && [ "$5" = '{{account}}' ]; then
          printf '%s\n' "$FAKE_SECRET"; exit 0
        fi
        echo "security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain." >&2
        exit 44
        """);

    /// <summary>op read --no-newline op://...; exit 1 with op's style of error when the reference is unknown.</summary>
    public static string WriteOp(TempDirectory dir, string knownReference) => dir.WriteScript("op", $$"""
        if [ "$#" -ne 3 ] || [ "$1" != read ] || [ "$2" != --no-newline ]; then
          echo "fake op: unexpected arguments: $*" >&2; exit 64
        fi
        if [ "$3" = '{{knownReference}}' ]; then
          printf '%s' "$FAKE_SECRET"; exit 0
        fi
        echo "[ERROR] 2025/01/01 00:00:00 could not read secret '$3': could not find item" >&2
        exit 1
        """);

    /// <summary>PATH with the fake tools first, then the real PATH (the scripts need /bin/sh).</summary>
    public static Dictionary<string, string?> Environment(TempDirectory dir, string secret) => new()
    {
        ["PATH"] = dir.Path + ":" + System.Environment.GetEnvironmentVariable("PATH"),
        ["FAKE_SECRET"] = secret,
    };
}
