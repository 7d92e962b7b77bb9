using System.Globalization;
using System.Text;

namespace Nono.Sandbox.Linux.Namespaces;

/// <summary>
/// Whether this machine lets nono create a user namespace (and through it network and mount
/// namespaces) with util-linux unshare(1), and which unshare options exist. The configuration is
/// read at once; when it allows namespaces, one real attempt (<see cref="UserNamespaceTrial"/>)
/// decides, made only when a launch asks, because a sandbox that needs no namespace should not pay
/// for a process start.
/// </summary>
public sealed class UserNamespaces
{
    private readonly Lazy<string?> _unavailableReason;
    private readonly Lazy<bool> _keepCaps;

    private UserNamespaces(Func<string?> unavailableReason, string? unsharePath, Func<bool> keepCaps)
    {
        _unavailableReason = new Lazy<string?>(unavailableReason);
        UnsharePath = unsharePath;
        _keepCaps = new Lazy<bool>(keepCaps);
    }

    public bool Available => UnavailableReason is null;

    public string? UnavailableReason => _unavailableReason.Value;

    public string? UnsharePath { get; }

    /// <summary>unshare has --keep-caps and --map-current-user (util-linux 2.38 and later). Found
    /// out when first asked: a launch without namespaces never needs to know.</summary>
    public bool KeepCaps => _keepCaps.Value;

    /// <summary>Setting this variable to 1 makes nono behave as if user namespaces were disabled,
    /// so the fallback paths can be tested on a machine that has them. It can only take isolation
    /// away, and every fallback it triggers is announced on stderr.</summary>
    public const string TestDisableVariable = "NONO_TEST_DISABLE_USERNS";

    /// <summary>Known answers, no detection and no trial (for planning against a described host).</summary>
    public static UserNamespaces Fixed(string? unavailableReason, string? unsharePath, bool keepCaps) =>
        new(() => unavailableReason, unsharePath, () => keepCaps);

    /// <summary>This host as if namespaces were unavailable for <paramref name="reason"/>.</summary>
    public UserNamespaces Unavailable(string reason) => Fixed(reason, UnsharePath, KeepCaps);

    /// <summary>This host with or without unshare's --keep-caps.</summary>
    public UserNamespaces WithKeepCaps(bool keepCaps) => new(() => UnavailableReason, UnsharePath, () => keepCaps);

    public static UserNamespaces Detect()
    {
        var unshare = FindUnshare();
        var keepCaps = new Lazy<bool>(() => unshare is not null && SupportsKeepCaps(unshare));
        return new UserNamespaces(() => UnavailableBecause(unshare) ?? UserNamespaceTrial.Run(unshare!, keepCaps.Value), unshare, () => keepCaps.Value);
    }

    private static string? UnavailableBecause(string? unshare)
    {
        if (Environment.GetEnvironmentVariable(TestDisableVariable) == "1")
        {
            return $"disabled by {TestDisableVariable}=1 (a testing switch)";
        }

        if (unshare is null)
        {
            return "util-linux unshare(1) was not found in /usr/bin or /bin (install util-linux)";
        }

        if (ReadNumber("/proc/sys/user/max_user_namespaces") == 0)
        {
            return "/proc/sys/user/max_user_namespaces is 0 (sysctl -w user.max_user_namespaces=15000 enables them)";
        }

        var privileged = Environment.IsPrivilegedProcess;
        if (!privileged && ReadNumber("/proc/sys/kernel/unprivileged_userns_clone") == 0)
        {
            return "/proc/sys/kernel/unprivileged_userns_clone is 0 (sysctl -w kernel.unprivileged_userns_clone=1 enables them)";
        }

        if (!privileged && ReadNumber("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1)
        {
            return "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1); "
                + "allow them for nono with an AppArmor profile granting 'userns'";
        }

        return null;
    }

    private static string? FindUnshare()
    {
        foreach (var candidate in new[] { "/usr/bin/unshare", "/bin/unshare" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>--keep-caps and --map-current-user arrived together in util-linux 2.38. Their
    /// names are in the binary's help text; looking for them costs a file read instead of a
    /// process spawn on every launch.</summary>
    private static bool SupportsKeepCaps(string unshare)
    {
        try
        {
            var bytes = File.ReadAllBytes(unshare);
            return bytes.AsSpan().IndexOf("--keep-caps"u8) >= 0 && bytes.AsSpan().IndexOf("--map-current-user"u8) >= 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? ReadNumber(string path)
    {
        try
        {
            var text = File.ReadAllText(path, Encoding.ASCII).Trim();
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
