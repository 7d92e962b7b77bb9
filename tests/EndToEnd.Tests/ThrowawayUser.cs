using System.Diagnostics;
using System.Globalization;

namespace Nono.EndToEnd.Tests;

/// <summary>
/// A user account made for one test (useradd, removed with userdel on dispose), so that attacks
/// that only reach other processes of the same non-root user can be tried as such a user. Needs root;
/// <see cref="CreateOrSkip"/> skips the test with the reason otherwise.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ThrowawayUser : IDisposable
{
    private readonly TempTree _home = new();
    private readonly List<Process> _started = [];

    private ThrowawayUser(string name)
    {
        Name = name;
        Uid = int.Parse(Output("/usr/bin/id", "-u", name), CultureInfo.InvariantCulture);
        Gid = int.Parse(Output("/usr/bin/id", "-g", name), CultureInfo.InvariantCulture);
        File.SetUnixFileMode(_home.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Work);
        Output("/bin/chown", $"{Uid}:{Gid}", _home.Root, Work);
    }

    public string Name { get; }

    public int Uid { get; }

    public int Gid { get; }

    /// <summary>A home directory the user owns.</summary>
    public string Home => _home.Root;

    /// <summary>A project directory below the home, where the user's programs start (nono refuses to grant the home itself).</summary>
    public string Work => Path.Join(_home.Root, "work");

    public static ThrowawayUser CreateOrSkip()
    {
        if (Environment.UserName != "root" && Output("/usr/bin/id", "-u") != "0")
        {
            Assert.Skip("needs root, to create a throwaway unprivileged user with useradd");
        }

        var name = "nono-e2e-" + Guid.NewGuid().ToString("N")[..8];
        Output("/usr/sbin/useradd", "--no-create-home", "--shell", "/bin/sh", name);
        return new ThrowawayUser(name);
    }

    /// <summary>Starts <paramref name="program"/> as this user, with only HOME, PATH and TMPDIR set.</summary>
    public Process Start(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Work,
        };
        start.Environment.Clear();
        start.Environment["HOME"] = Home;
        start.Environment["PATH"] = "/usr/bin:/bin";
        start.Environment["TMPDIR"] = "/tmp";
        foreach (var argument in (string[])["--reuid", Uid.ToString(CultureInfo.InvariantCulture), "--regid", Gid.ToString(CultureInfo.InvariantCulture),
                     "--clear-groups", "--", program, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        _started.Add(process);
        WaitForExec(process, program);
        return process;
    }

    /// <summary>Until setpriv has changed user and executed <paramref name="program"/>: before that the
    /// pid is still setpriv's, running as root, and a test acting on it would see root's process.</summary>
    private static void WaitForExec(Process process, string program)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                var first = File.ReadAllText($"/proc/{process.Id}/cmdline").Split('\0')[0];
                if (first == program)
                {
                    return;
                }
            }
            catch (IOException)
            {
                return; // gone already; the caller sees its exit
            }

            Thread.Sleep(5);
        }
    }

    /// <summary>Runs <paramref name="program"/> as this user to its end.</summary>
    public async Task<RunResult> RunAsync(string program, params string[] arguments)
    {
        var process = Start(program, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new RunResult(process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }

    public void Dispose()
    {
        // The user's processes end first: userdel refuses to remove a user that still runs something.
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }

        Output("/usr/sbin/userdel", Name);
        _home.Dispose();
    }

    private static string Output(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }
}
