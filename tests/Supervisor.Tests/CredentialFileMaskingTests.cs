using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

/// <summary>
/// A custom credential read from a file (<c>file:///path</c>) is read by the proxy outside the sandbox:
/// a directory grant that covers the file gets it masked, a grant of the file itself is refused.
/// </summary>
public sealed class CredentialFileMaskingTests
{
    private static string Profile(string credentialKey) =>
        """{"network": {"credentials": ["svc"], "custom_credentials": {"svc": {"upstream": "https://svc.example.com", "credential_key": """ + $"\"{credentialKey}\"" + "}}}}";

    [Fact]
    public void A_credential_file_inside_a_granted_directory_is_masked_in_the_sandbox()
    {
        using var host = new TestHost();
        var key = host.WriteFile(Path.Join(host.Work, "secrets", "svc.key"), "not a real key");
        host.WriteUserProfile("p", Profile($"file://{key}"));

        var settings = host.Resolve(new SessionFlags { Profile = "p", Allow = [host.Work] });

        Assert.Contains(key, settings.Denies);
    }

    [Fact]
    public void A_credential_file_granted_itself_is_refused_where_the_credential_was_written()
    {
        using var host = new TestHost();
        var key = host.WriteFile(Path.Join(host.Home, "svc.key"), "not a real key");
        host.WriteUserProfile("p", Profile($"file://{key}"));

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = "p", ReadFile = [key] }));

        Assert.Contains($"the credential file of route '/svc' ({key}) is granted to the sandbox", error.Message, StringComparison.Ordinal);
        Assert.Contains("p.json:1:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not a real key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_credential_from_the_environment_masks_nothing()
    {
        using var host = new TestHost();
        host.WriteUserProfile("p", Profile("env://SVC_SECRET"));

        var settings = host.Resolve(new SessionFlags { Profile = "p", Allow = [host.Work] });

        Assert.DoesNotContain(settings.Denies, deny => deny.StartsWith(host.Work, StringComparison.Ordinal));
    }
}
