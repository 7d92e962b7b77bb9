using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nono.Sandbox.MacOS.Tests;

/// <summary>
/// The generated profiles enforced by the real kernel, through sandbox-exec(1) (which applies SBPL
/// text the same way sandbox_init does) and through <see cref="SeatbeltSandbox.ApplyProfile"/> in
/// a child process. These need macOS and are skipped elsewhere.
/// </summary>
public sealed class MacOSEnforcementTests : IDisposable
{
    private const string SandboxExec = "/usr/bin/sandbox-exec";
    private readonly string _home;

    public MacOSEnforcementTests()
    {
        _home = new FileSystemPathResolver().Resolve(Directory.CreateTempSubdirectory("nono-home-").FullName);
        Directory.CreateDirectory(Path.Join(_home, ".ssh"));
        File.WriteAllText(Path.Join(_home, ".ssh", "id_rsa"), "secret key");
        Directory.CreateDirectory(Path.Join(_home, "project"));
        File.WriteAllText(Path.Join(_home, "project", "notes.txt"), "notes");
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Theory]
    [MemberData(nameof(GoldenProfileTests.CaseNames), MemberType = typeof(GoldenProfileTests))]
    public void Golden_profile_is_accepted_by_the_kernel(string name)
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");
        var (policy, links) = GoldenProfileTests.Cases[name];

        var (exit, output) = Run(Profiles.Generate(policy, links), "/usr/bin/true");

        Assert.True(exit == 0, $"sandbox-exec rejected the {name} profile: {output}");
    }

    [Fact]
    public void Child_reads_granted_files_but_not_ssh_keys_in_any_case()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");
        var profile = ProfileFor(new SandboxPolicy { Grants = [FsGrant.Directory(_home, FsAccess.Read)] });

        Assert.Equal(0, Run(profile, "/bin/cat", Path.Join(_home, "project", "notes.txt")).Exit);
        Assert.NotEqual(0, Run(profile, "/bin/cat", Path.Join(_home, ".ssh", "id_rsa")).Exit);
        Assert.NotEqual(0, Run(profile, "/bin/cat", Path.Join(_home, ".SSH", "id_rsa")).Exit);
    }

    [Fact]
    public void Child_cannot_write_where_only_reading_is_granted()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");
        var profile = ProfileFor(new SandboxPolicy { Grants = [FsGrant.Directory(_home, FsAccess.Read)] });

        Assert.NotEqual(0, Run(profile, "/usr/bin/touch", Path.Join(_home, "project", "new.txt")).Exit);
        Assert.False(File.Exists(Path.Join(_home, "project", "new.txt")));
    }

    [Fact]
    public void Child_cannot_rename_a_directory_above_a_denied_path()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");
        Directory.CreateDirectory(Path.Join(_home, ".config", "gcloud"));
        var profile = ProfileFor(new SandboxPolicy { Grants = [FsGrant.Directory(_home, FsAccess.ReadWrite)] });

        Assert.NotEqual(0, Run(profile, "/bin/mv", Path.Join(_home, ".config"), Path.Join(_home, "moved")).Exit);
        Assert.True(Directory.Exists(Path.Join(_home, ".config", "gcloud")));
    }

    [Fact]
    public void Proxy_mode_reaches_the_proxy_port_and_nothing_else()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");
        using var proxy = new TcpListener(IPAddress.Loopback, 0);
        using var other = new TcpListener(IPAddress.Loopback, 0);
        proxy.Start();
        other.Start();
        var proxyPort = ((IPEndPoint)proxy.LocalEndpoint).Port;
        var otherPort = ((IPEndPoint)other.LocalEndpoint).Port;
        var profile = ProfileFor(new SandboxPolicy { Network = NetworkPolicy.ViaProxy((ushort)proxyPort) });

        Assert.Equal(0, Run(profile, "/usr/bin/nc", "-z", "-G", "2", "127.0.0.1", proxyPort.ToString()).Exit);
        Assert.NotEqual(0, Run(profile, "/usr/bin/nc", "-z", "-G", "2", "127.0.0.1", otherPort.ToString()).Exit);
    }

    [Fact]
    public void Blocked_mode_reaches_no_port()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.NotEqual(0, Run(ProfileFor(new SandboxPolicy()), "/usr/bin/nc", "-z", "-G", "2", "127.0.0.1", port.ToString()).Exit);
    }

    [Fact]
    public void Sandbox_init_confines_a_process_and_survives_execve()
    {
        Assert.SkipUnless(OperatingSystem.IsMacOS(), "needs macOS");
        var profile = ProfileFor(new SandboxPolicy { Grants = [FsGrant.Directory(_home, FsAccess.Read)] });

        var allowed = SandboxInitHelper.Run(profile, "/bin/cat", Path.Join(_home, "project", "notes.txt"));
        var denied = SandboxInitHelper.Run(profile, "/bin/cat", Path.Join(_home, ".ssh", "id_rsa"));

        Assert.True(allowed.Exit == 0, allowed.Output);
        Assert.Contains("notes", allowed.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, denied.Exit);
        Assert.DoesNotContain("secret key", denied.Output, StringComparison.Ordinal);
    }

    private string ProfileFor(SandboxPolicy policy) =>
        SeatbeltSandbox.GenerateProfile(policy, new SeatbeltContext(_home));

    private static (int Exit, string Output) Run(string profile, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(SandboxExec) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(profile);
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
