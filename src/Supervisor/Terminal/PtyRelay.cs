using Nono.Interop;

namespace Nono.Supervisor.Terminal;

/// <summary>
/// Copies bytes between the user's terminal and the controller side of the child's PTY on two
/// dedicated threads (blocking reads on a tty do not mix with the thread pool). The output pump
/// ends when the controller reports EOF or EIO, which Linux does once every holder of the replica
/// has gone: that is the child's exit as the terminal sees it.
/// </summary>
internal sealed unsafe class PtyRelay
{
    private const int BufferSize = 16 * 1024;

    private readonly int _userIn;
    private readonly int _userOut;
    private readonly int _controller;
    private readonly Thread _output;
    private readonly Thread _input;
    private volatile bool _stopping;
    private volatile bool _inputStopping;

    public PtyRelay(int userIn, int userOut, int controller)
    {
        _userIn = userIn;
        _userOut = userOut;
        _controller = controller;
        _output = new Thread(() => Pump(_controller, _userOut)) { IsBackground = true, Name = "nono pty output" };
        _input = new Thread(() => Pump(_userIn, _controller, pollFirst: true)) { IsBackground = true, Name = "nono pty input" };
    }

    public void Start()
    {
        _output.Start();
        _input.Start();
    }

    /// <summary>Waits until the child's output is fully drained to the user's terminal.</summary>
    public bool WaitForOutput(TimeSpan timeout) => _output.Join(timeout);

    /// <summary>Stops the pumps. The input pump waits in poll() rather than read(), so once stopped it
    /// leaves what the user types next in the terminal for the program that gets it after nono.</summary>
    public void Stop() => _stopping = true;

    /// <summary>Stops only the input pump (the child has exited), while its last output still drains.</summary>
    public void StopInput() => _inputStopping = true;

    private void Pump(int from, int to, bool pollFirst = false)
    {
        var buffer = new byte[BufferSize];
        fixed (byte* p = buffer)
        {
            while (!_stopping)
            {
                if (pollFirst && (_inputStopping || !Readable(from)))
                {
                    if (_inputStopping)
                    {
                        return;
                    }

                    continue;
                }

                var n = Posix.Read(from, p, BufferSize);
                if (n <= 0)
                {
                    // EOF, or EIO on the controller once the child side is closed; EINTR is retried.
                    if (n < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == 4)
                    {
                        continue;
                    }

                    return;
                }

                if (!WriteAll(to, p, n))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Waits up to 100 ms for input; true when a read will not block (data, EOF or an error).</summary>
    private static bool Readable(int fd)
    {
        var poll = new TerminalInterop.PollFd { Fd = fd, Events = TerminalInterop.PollIn };
        return TerminalInterop.Poll(&poll, 1, 100) > 0;
    }

    private static bool WriteAll(int fd, byte* data, nint count)
    {
        while (count > 0)
        {
            var written = Posix.Write(fd, data, (nuint)count);
            if (written < 0)
            {
                if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == 4)
                {
                    continue;
                }

                return false;
            }

            data += written;
            count -= written;
        }

        return true;
    }
}
