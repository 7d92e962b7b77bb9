namespace Nono.Sandbox.Tests;

public sealed class LaunchExitStatusTests
{
    [Theory]
    [InlineData(0x0000, 0)]
    [InlineData(0x0300, 3)]
    [InlineData(0x7e00, 126)]
    [InlineData(0x7f00, 127)]
    [InlineData(0xff00, 255)]
    public void Normal_exit_reports_the_exit_code(int waitStatus, int expected) =>
        Assert.Equal(expected, LaunchExitStatus.FromWaitStatus(waitStatus));

    [Theory]
    [InlineData(9, 137)]
    [InlineData(15, 143)]
    [InlineData(2, 130)]
    [InlineData(6 | 0x80, 134)] // a core dump sets bit 7; the signal is still 6
    public void Death_by_signal_reports_128_plus_the_signal(int waitStatus, int expected) =>
        Assert.Equal(expected, LaunchExitStatus.FromWaitStatus(waitStatus));

    [Theory]
    [InlineData(2, true)]
    [InlineData(13, true)]
    [InlineData(20, true)]
    [InlineData(8, true)]
    [InlineData(12, false)] // ENOMEM: the launch failed, not the target
    [InlineData(7, false)]  // E2BIG
    public void Only_not_found_and_not_executable_errors_mean_127(int errno, bool cannotExecute) =>
        Assert.Equal(cannotExecute, LaunchExitStatus.IsCannotExecuteErrno(errno));

    [Theory]
    [InlineData("3", true, 3)]
    [InlineData("17", true, 17)]
    [InlineData("2", false, 0)]
    [InlineData("-3", false, 0)]
    [InlineData(" 3", false, 0)]
    [InlineData("three", false, 0)]
    public void Stage2_descriptor_must_be_a_plain_number_above_stdio(string text, bool valid, int descriptor)
    {
        Assert.Equal(valid, LaunchExitStatus.TryParseDescriptor(text, out var parsed));
        if (valid)
        {
            Assert.Equal(descriptor, parsed);
        }
    }
}
