using Nono.Supervisor.Terminal;

namespace Nono.Supervisor.Tests.Terminal;

public sealed class TerminalConstantsTests
{
    // The BSD ioctl encoding of <sys/ioccom.h>: direction in the top bits, 13 bits of argument
    // length, then the group letter and the number.
    private const uint IocVoid = 0x20000000;
    private const uint IocOut = 0x40000000;
    private const uint IocIn = 0x80000000;

    private const int WinsizeBytes = 8; // four unsigned shorts

    [Fact]
    public void MacOS_window_size_requests_are_the_bsd_encodings_of_tiocgwinsz_and_tiocswinsz()
    {
        Assert.Equal(Bsd(IocOut, 't', 104, WinsizeBytes), TerminalConstants.MacOS.GetWindowSize);
        Assert.Equal(Bsd(IocIn, 't', 103, WinsizeBytes), TerminalConstants.MacOS.SetWindowSize);
        Assert.Equal(Bsd(IocVoid, 'f', 1, 0), TerminalConstants.MacOS.FioClex);
    }

    [Fact]
    public void MacOS_termios_buffer_holds_the_darwin_struct_with_eight_byte_flags_and_twenty_control_chars()
    {
        // tcflag_t and speed_t are unsigned long (8 bytes); NCCS is 20; speeds are 8-aligned.
        const int Flags = 4 * 8;
        const int ControlChars = 20;
        var speedsAt = (Flags + ControlChars + 7) / 8 * 8;
        var size = speedsAt + (2 * 8);

        Assert.Equal(size, TerminalConstants.MacOS.TermiosBytes);
        Assert.True(TerminalConstants.MacOS.TermiosBuffer >= size);
        Assert.True(TerminalConstants.Linux.TermiosBuffer >= TerminalConstants.Linux.TermiosBytes);
    }

    [Fact]
    public void Open_flags_differ_per_platform_and_posix_openpt_gets_cloexec_only_where_it_is_accepted()
    {
        Assert.Equal(0x100, TerminalConstants.Linux.NoControllingTty);
        Assert.Equal(0x80000, TerminalConstants.Linux.CloseOnExec);
        Assert.Equal(0x20000, TerminalConstants.MacOS.NoControllingTty);
        Assert.Equal(0x1000000, TerminalConstants.MacOS.CloseOnExec);

        Assert.Equal(0x2 | 0x100 | 0x80000, TerminalConstants.Linux.OpenPtFlags);
        Assert.Equal(0x2 | 0x20000, TerminalConstants.MacOS.OpenPtFlags);
        Assert.Equal(0x2 | 0x20000 | 0x1000000, TerminalConstants.MacOS.ReplicaOpenFlags);
    }

    [Fact]
    public void The_table_in_use_is_this_platforms()
    {
        Assert.Same(OperatingSystem.IsMacOS() ? TerminalConstants.MacOS : TerminalConstants.Linux, TerminalConstants.Current);
        Assert.Equal(OperatingSystem.IsMacOS() ? "macos" : "linux", TerminalConstants.Current.Platform);
    }

    [Fact]
    public void A_new_pseudo_terminal_takes_the_window_size_set_on_it_and_is_close_on_exec()
    {
        using var terminal = PseudoTerminal.Open();
        var size = new TerminalInterop.WindowSize { Rows = 33, Columns = 121 };

        Assert.Equal(0, TerminalInterop.IoctlWindowSize(terminal.ControllerFd, TerminalConstants.Current.SetWindowSize, ref size));
        var read = default(TerminalInterop.WindowSize);
        Assert.Equal(0, TerminalInterop.IoctlWindowSize(terminal.ReplicaFd, TerminalConstants.Current.GetWindowSize, ref read));

        Assert.Equal((33, 121), (read.Rows, read.Columns));
        if (OperatingSystem.IsLinux())
        {
            Assert.Contains("flags:\t02", File.ReadAllText($"/proc/self/fdinfo/{terminal.ControllerFd}"), StringComparison.Ordinal);
        }
    }

    private static ulong Bsd(uint direction, char group, int number, int length) =>
        direction | ((uint)(length & 0x1fff) << 16) | ((uint)group << 8) | (uint)number;
}
