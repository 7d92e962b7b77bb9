namespace Nono.Sandbox.MacOS.Tests;

public sealed class PlatformTests
{
    [Fact]
    public void Seatbelt_is_supported_exactly_on_macOS()
    {
        Assert.Equal(OperatingSystem.IsMacOS(), SeatbeltPlatform.IsSupported);
    }

    [Fact]
    public void Applying_the_sandbox_off_macOS_is_refused_cleanly()
    {
        Assert.SkipWhen(OperatingSystem.IsMacOS(), "this test checks the refusal on other systems");

        var error = Assert.Throws<SandboxUnavailableException>(() =>
            SeatbeltSandbox.ApplyToCurrentProcess(new SandboxPolicy(), Profiles.Context()));
        Assert.Contains("macOS", error.Message, StringComparison.Ordinal);
        Assert.Contains("Landlock", error.Message, StringComparison.Ordinal);

        Assert.Throws<SandboxUnavailableException>(() => SeatbeltSandbox.ApplyProfile("(version 1)(allow default)"));
        Assert.Throws<SandboxUnavailableException>(SeatbeltPlatform.EnsureSupported);
    }

    [Fact]
    public void Supported_check_passes_on_macOS()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");

        SeatbeltPlatform.EnsureSupported();
    }

    [Fact]
    public void Profile_generation_works_on_every_system()
    {
        // --dry-run prints the profile wherever nono runs; generation must not touch native code.
        var profile = SeatbeltSandbox.GenerateProfile(new SandboxPolicy(), Profiles.Context());

        Assert.StartsWith("(version 1)", profile, StringComparison.Ordinal);
    }

    [Fact]
    public void Context_for_the_current_user_uses_the_home_directory()
    {
        var context = SeatbeltContext.ForCurrentUser();

        Assert.Equal(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), context.Home);
        Assert.IsType<FileSystemPathResolver>(context.Resolver);
    }
}
