using Nono.Sandbox.MacOS.Launch;

namespace Nono.Sandbox.MacOS.Tests;

public sealed class SeatbeltExecTests
{
    [Fact]
    public void Exec_in_place_refuses_off_macOS_without_running_the_target()
    {
        Assert.SkipWhen(OperatingSystem.IsMacOS(), "on macOS this would replace the test process");
        var marker = Path.Combine(Path.GetTempPath(), $"nono-seatbelt-{Guid.NewGuid():N}");

        var status = SandboxExec.ExecInPlace(
            new SandboxPolicy(),
            new SeatbeltContext("/home/nobody"),
            "/usr/bin/touch",
            ["touch", marker],
            []);

        Assert.Equal(LaunchExitStatus.SetupFailed, status);
        Assert.False(File.Exists(marker));
    }
}
