using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;

namespace Nono.Supervisor.Control;

/// <summary>
/// Who is on the other end of a control connection, and whether they may steer the session. The
/// kernel's SO_PEERCRED names the peer's uid and pid (taken at connect, not claimed by the peer).
/// Only the same user is answered, and never a process in another network or PID namespace or
/// under more seccomp filters than the supervisor: that is every sandboxed program (nono's own
/// children live in their own namespaces, and `nono wrap` adds a filter), which must not be able to
/// open its own sandbox even if it finds the socket.
/// </summary>
internal readonly record struct PeerCredentials(int Pid, uint Uid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private const int SoPeerPidFd = 77;

    public static PeerCredentials Of(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (length < 12)
            throw new SocketException((int)SocketError.ProtocolNotSupported);
        return new PeerCredentials(BinaryPrimitives.ReadInt32LittleEndian(ucred), BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]));
    }

    /// <summary>
    /// Null when the peer may use the channel, else why not (for the supervisor's own log, never sent
    /// to the peer). The peer's pidfd (Linux 6.5+) pins the process: if it ended while /proc was read,
    /// its pid may name another process by now, and the answer is no.
    /// </summary>
    public static string? Refusal(Socket socket)
    {
        var peer = Of(socket);
        Span<byte> pidfdBytes = stackalloc byte[4];
        int? pidfd = null;
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerPidFd, pidfdBytes) == 4)
                pidfd = BinaryPrimitives.ReadInt32LittleEndian(pidfdBytes);
        }
        catch (SocketException)
        {
            // Older kernels: the pid alone.
        }

        using var pinned = pidfd is { } fd ? new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true) : null;
        if (peer.Check() is { } refusal)
            return refusal;
        return pidfd is { } held && PidOfPidFd(held) != peer.Pid ? "the peer's process ended during the check" : null;
    }

    private static int? PidOfPidFd(int fd)
    {
        try
        {
            var line = File.ReadLines($"/proc/self/fdinfo/{fd.ToString(CultureInfo.InvariantCulture)}").FirstOrDefault(l => l.StartsWith("Pid:", StringComparison.Ordinal));
            return line is null ? null : int.Parse(line[4..].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        catch (Exception error) when (error is IOException or FormatException or OverflowException)
        {
            return null;
        }
    }

    private string? Check()
    {
        var self = ProcessFacts.Of("self");
        if (self is null)
            return "cannot read the supervisor's own /proc entry";
        if (Uid != self.Value.Uid)
            return $"uid {Uid.ToString(CultureInfo.InvariantCulture)} is not the session's user";
        if (Pid <= 0)
            return "the peer's process is not visible from the supervisor's PID namespace";

        var peer = ProcessFacts.Of(Pid.ToString(CultureInfo.InvariantCulture));
        if (peer is null)
            return $"cannot read /proc/{Pid.ToString(CultureInfo.InvariantCulture)}";
        if (peer.Value.Uid != self.Value.Uid)
            return "the peer's effective uid differs";
        if (peer.Value.NetNamespace != self.Value.NetNamespace || peer.Value.PidNamespace != self.Value.PidNamespace)
            return "the peer runs in another namespace (a sandboxed program)";
        if (peer.Value.SeccompFilters > self.Value.SeccompFilters || peer.Value.SeccompMode > self.Value.SeccompMode)
            return "the peer runs under more seccomp filters than the supervisor (a sandboxed program)";
        if (peer.Value.NoNewPrivs && !self.Value.NoNewPrivs)
            return "the peer runs with no_new_privs and the supervisor does not (a sandboxed program)";
        return null;
    }
}

/// <summary>What /proc says about a process: effective uid, namespaces, seccomp mode and filters, no_new_privs.</summary>
internal readonly record struct ProcessFacts(uint Uid, string NetNamespace, string PidNamespace, int SeccompMode, int SeccompFilters, bool NoNewPrivs)
{
    public static ProcessFacts? Of(string pid)
    {
        try
        {
            uint? uid = null;
            var filters = 0;
            var mode = 0;
            var noNewPrivs = false;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                    uid = uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], NumberStyles.None, CultureInfo.InvariantCulture);
                else if (line.StartsWith("Seccomp_filters:", StringComparison.Ordinal))
                    filters = Number(line);
                else if (line.StartsWith("Seccomp:", StringComparison.Ordinal))
                    mode = Number(line);
                else if (line.StartsWith("NoNewPrivs:", StringComparison.Ordinal))
                    noNewPrivs = Number(line) != 0;
            }

            var net = new FileInfo($"/proc/{pid}/ns/net").LinkTarget;
            var pidNs = new FileInfo($"/proc/{pid}/ns/pid").LinkTarget;
            return uid is { } u && net is not null && pidNs is not null ? new ProcessFacts(u, net, pidNs, mode, filters, noNewPrivs) : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static int Number(string line) =>
        int.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
}
