using System.Text.Json;

namespace Nono.EndToEnd.Tests.Supervised;

/// <summary>`nono ps`, `nono allow`, `nono deny`, `nono why` and `--save-profile` against running sessions.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LiveControlTests
{
    /// <summary>A program that prints the status of each request to <paramref name="url"/> until it has seen 200 and then 403 again.</summary>
    private static string RetryScript(string url) =>
        $"curl -s {url}/; echo; seen=0; for i in $(seq 1 600); do c=$(curl -s -o /dev/null -w '%{{http_code}}' {url}/); echo $c; "
        + "[ $c = 200 ] && seen=1; [ $seen = 1 ] && [ $c = 403 ] && exit 0; sleep 0.1; done; exit 1";

    private static async Task<string> ReadUntilAsync(NonoSession session, string wanted)
    {
        while (true)
        {
            var line = await session.ReadLineAsync();
            if (line == wanted)
            {
                return line;
            }
        }
    }

    [Fact]
    public async Task A_refused_host_is_allowed_from_outside_audited_taken_back_and_saved()
    {
        await using var origin = new TestOrigin();
        using var dir = new TempTree();
        var audit = Path.Join(dir.Root, "audit.jsonl");
        var saved = Path.Join(dir.Root, "learned.json");
        var marker = "live-" + Guid.NewGuid().ToString("N")[..8];
        using var session = new NonoSession("run", "--audit-log", audit, "--save-profile", saved, "--", "sh", "-c", RetryScript(origin.Url), marker);

        var body = await session.ReadLineAsync();
        Assert.Contains($"allow it for this session with: nono allow {origin.Host}", body, StringComparison.Ordinal);
        await ReadUntilAsync(session, "403");

        var id = await LiveSession.IdAsync(marker);
        var row = await LiveSession.RowAsync(id);
        Assert.NotNull(row);
        Assert.Contains(origin.Host, row, StringComparison.Ordinal);
        Assert.Contains("default", row, StringComparison.Ordinal);
        Assert.Contains($"sh -c", row, StringComparison.Ordinal);

        var allow = await Run.NonoAsync("allow", "--session", id, origin.Host, "kept.example.com");
        Assert.True(allow.ExitCode == 0, allow.ToString());
        Assert.Contains($"{origin.Host}: allowed in session {id}", allow.Stdout, StringComparison.Ordinal);
        await ReadUntilAsync(session, "200");
        Assert.NotEmpty(origin.Requests);

        var deny = await Run.NonoAsync("deny", "--session", id, origin.Host);
        Assert.True(deny.ExitCode == 0, deny.ToString());
        var (exit, stderr) = await session.WaitAsync();

        Assert.True(exit == 0, stderr);
        Assert.Contains($"nono: denied {origin.Host} — allow it for this session with: nono allow {origin.Host}", stderr, StringComparison.Ordinal);
        Assert.Contains($"nono: {origin.Host} allowed for the rest of this session", stderr, StringComparison.Ordinal);
        var changes = File.ReadAllLines(audit).Where(line => line.Contains("\"event\"", StringComparison.Ordinal)).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Contains(changes, e => e.GetProperty("event").GetString() == "session_allow" && e.GetProperty("target").GetString() == origin.Host);
        Assert.Contains(changes, e => e.GetProperty("event").GetString() == "session_deny" && e.GetProperty("target").GetString() == origin.Host);

        // The saved profile extends the one used and holds exactly what stayed allowed.
        var profile = JsonDocument.Parse(File.ReadAllText(saved)).RootElement;
        Assert.Equal("default", profile.GetProperty("extends").GetString());
        Assert.Equal(["kept.example.com"], profile.GetProperty("network").GetProperty("allow_domain").EnumerateArray().Select(e => e.GetString()));
        var kept = await Run.NonoAsync("why", "--profile", saved, "kept.example.com");
        var takenBack = await Run.NonoAsync("why", "--profile", saved, origin.Host);
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Contains("allowlist entry kept.example.com", kept.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, takenBack.ExitCode);
        Assert.Contains("host not in allowlist", takenBack.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allow_refuses_metadata_urls_paths_and_star_and_an_unknown_session()
    {
        var metadata = await Run.NonoAsync("allow", "169.254.169.254");
        var metadataName = await Run.NonoAsync("allow", "metadata.google.internal");
        var url = await Run.NonoAsync("allow", "https://example.com/");
        var path = await Run.NonoAsync("allow", "example.com/v1");
        var star = await Run.NonoAsync("allow", "*");
        var unknown = await Run.NonoAsync("allow", "--session", "ffffffffffffffff", "example.com");

        Assert.Equal(2, metadata.ExitCode);
        Assert.Contains("always refuses", metadata.Stderr, StringComparison.Ordinal);
        Assert.Contains("cloud metadata host", metadataName.Stderr, StringComparison.Ordinal);
        Assert.Contains("is a URL", url.Stderr, StringComparison.Ordinal);
        Assert.Contains("contains a path", path.Stderr, StringComparison.Ordinal);
        Assert.Contains("would allow every host", star.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Matches("no running (nono session|session has the id)", unknown.Stderr);
    }

    [Fact]
    public async Task The_control_socket_answers_its_user_but_not_the_sandboxed_program()
    {
        var marker = "probe-" + Guid.NewGuid().ToString("N")[..8];
        // The program knows where the socket is (beside its TMPDIR) and may open unix sockets: only
        // the supervisor's peer check stands between it and its own sandbox.
        const string probe = """
            import os, socket, sys
            path = os.path.join(os.path.dirname(os.environ["TMPDIR"]), "control.sock")
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.settimeout(10)
                s.connect(path)
                s.sendall(b'{"op":"allow","hosts":["evil.example.com"]}\n')
                print("reply:" + s.recv(65536).decode())
            except OSError as e:
                print("error:" + str(e.errno))
            sys.stdout.flush()
            sys.stdin.readline()
            """;
        using var session = new NonoSession("run", "--allow-unix-sockets", "--", "/usr/bin/python3", "-c", probe, marker);
        var answer = await session.ReadLineAsync();
        var id = await LiveSession.IdAsync(marker);
        var socketPath = Path.Join(LiveSession.Directory(id), "control.sock");
        var mine = await LiveSession.RawStatusAsync(socketPath);
        var row = await LiveSession.RowAsync(id);
        var unixTable = File.ReadAllText("/proc/net/unix");
        await session.SignalAsync("TERM");
        var (_, stderr) = await session.WaitAsync();

        Assert.True(answer is "reply:" || answer.StartsWith("error:", StringComparison.Ordinal), answer);
        if (answer == "reply:")
        {
            Assert.Contains("refused a control connection: the peer runs in another namespace", stderr, StringComparison.Ordinal);
        }

        Assert.NotNull(row);
        Assert.Contains("\"id\"", mine, StringComparison.Ordinal);
        Assert.Contains("\"allowed\":[]", mine, StringComparison.Ordinal);
        Assert.Contains(socketPath, unixTable, StringComparison.Ordinal);
        Assert.DoesNotContain("@" + socketPath, unixTable, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_control_socket_refuses_another_uid_even_when_it_can_reach_the_file()
    {
        Assert.SkipUnless(Environment.UserName == "root" && File.Exists("/usr/bin/setpriv"), "needs root and setpriv to act as another user");
        var marker = "uid-" + Guid.NewGuid().ToString("N")[..8];
        using var session = new NonoSession("run", "--", "sh", "-c", "echo ready; read line", marker);
        Assert.Equal("ready", await session.ReadLineAsync());
        var id = await LiveSession.IdAsync(marker);
        var directory = LiveSession.Directory(id);
        var socketPath = Path.Join(directory, "control.sock");

        // Take the file permissions out of the way, so that only the SO_PEERCRED check is left.
        File.SetUnixFileMode(directory, (UnixFileMode)0x1C9);   // 0711
        File.SetUnixFileMode(socketPath, (UnixFileMode)0x1B6);  // 0666
        const string client = """
            import socket
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(10)
            s.connect(__import__("sys").argv[1])
            try:
                s.sendall(b'{"op":"status"}\n')
                print("reply:" + s.recv(65536).decode())
            except OSError:
                print("closed")
            """;
        var other = await Run.ProcessAsync("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", client, socketPath]);
        await session.SignalAsync("TERM");
        var (_, stderr) = await session.WaitAsync();

        Assert.True(other.Stdout.Trim() is "reply:" or "closed", other.ToString());
        Assert.Contains("refused a control connection: uid 65534 is not the session's user", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_killed_with_SIGKILL_is_not_listed_as_running()
    {
        var marker = "kill-" + Guid.NewGuid().ToString("N")[..8];
        using var session = new NonoSession("run", "--", "sh", "-c", "echo ready; sleep 60", marker);
        Assert.Equal("ready", await session.ReadLineAsync());
        var id = await LiveSession.IdAsync(marker);

        await session.SignalAsync("KILL");
        await session.WaitAsync();

        Assert.Null(await LiveSession.RowAsync(id));
        var allow = await Run.NonoAsync("allow", "--session", id, "example.com");
        Assert.Equal(1, allow.ExitCode);
    }

    [Fact]
    public async Task Why_names_the_rule_for_hosts_and_paths()
    {
        using var dir = new TempTree();
        var profile = Path.Join(dir.Root, "p.json");
        File.WriteAllText(profile, """{ "extends": "default", "network": { "allow_domain": ["*.example.org"], "deny_domain": ["ads.example.net"] }, "filesystem": { "read": ["/usr/share"] } }""");

        var allowed = await Run.NonoAsync("why", "--profile", profile, "api.example.org");
        var refused = await Run.NonoAsync("why", "--profile", profile, "example.com");
        var metadata = await Run.NonoAsync("why", "--profile", profile, "169.254.169.254");
        var path = await Run.NonoAsync("why", "--profile", profile, "/usr/share/doc");
        var ssh = await Run.NonoAsync("why", "--profile", profile, "~/.ssh/id_rsa");

        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Contains("allowlist entry *.example.org", allowed.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("host not in allowlist", refused.Stdout, StringComparison.Ordinal);
        Assert.Contains("always denied", metadata.Stdout, StringComparison.Ordinal);
        Assert.True(path.ExitCode == 0, path.ToString());
        Assert.Contains("allowed (read", path.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, ssh.ExitCode);
        Assert.Contains("refused", ssh.Stdout, StringComparison.Ordinal);
    }
}
