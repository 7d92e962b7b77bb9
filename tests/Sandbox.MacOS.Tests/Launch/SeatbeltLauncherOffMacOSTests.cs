using Nono.Sandbox.MacOS.Launch;

namespace Nono.Sandbox.MacOS.Tests.Launch;

/// <summary>Off macOS the Seatbelt launch path refuses cleanly and runs nothing.</summary>
public sealed class SeatbeltLauncherOffMacOSTests
{
    [Fact]
    public async Task Launcher_refuses_off_macOS_without_running_the_target()
    {
        Assert.SkipWhen(OperatingSystem.IsMacOS(), "tests the refusal on other systems; on macOS the launcher is supported and tested by SeatbeltLauncherTests");
        var marker = Path.Combine(Path.GetTempPath(), $"nono-seatbelt-{Guid.NewGuid():N}");
        var request = new SandboxLaunchRequest
        {
            Policy = new SandboxPolicy(),
            Context = new SeatbeltContext("/home/nobody"),
            Target = new LaunchTarget("/usr/bin/touch", ["touch", marker], [], "/"),
        };

        var error = await Assert.ThrowsAsync<SandboxUnavailableException>(() => SandboxLauncher.StartAsync(request, TestContext.Current.CancellationToken));

        Assert.Contains("Seatbelt", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Stage2_refuses_off_macOS_with_126()
    {
        Assert.SkipWhen(OperatingSystem.IsMacOS(), "tests the refusal on other systems; on macOS stage 2 is supported and would wait for a spec on descriptor 3");

        Assert.Equal(LaunchExitStatus.SetupFailed, Stage2.Run("3"));
    }
}
