using System.Globalization;

namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>
/// The process-isolation attacks as a non-root user, the case they were found in: the user's own
/// processes outside the session (here a sleep of the same throwaway user) can be reached by any
/// program of that user, and under `nono run` they do not exist for it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunUnprivilegedIsolationTests
{
    private const int Esrch = 3;

    [Theory]
    [InlineData("prlimit")]
    [InlineData("setpriority")]
    public async Task A_process_of_the_same_user_outside_the_session_is_out_of_reach(string operation)
    {
        using var user = ThrowawayUser.CreateOrSkip();
        var outsider = user.Start("/bin/sleep", "60");
        var pid = outsider.Id.ToString(CultureInfo.InvariantCulture);

        ProbeAssert.Allowed(await user.RunAsync(NonoBinary.Probe, operation, pid));
        ProbeAssert.Denied(await user.RunAsync(NonoBinary.Path, "run", "--read", NonoBinary.ProbeDirectory, "--", NonoBinary.Probe, operation, pid), Esrch);
        Assert.False(outsider.HasExited);
    }
}
