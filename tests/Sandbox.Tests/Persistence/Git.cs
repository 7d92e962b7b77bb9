using System.Diagnostics;

namespace Nono.Sandbox.Tests.Persistence;

/// <summary>Runs the real git with no system or global configuration of the machine's, in a scratch home.</summary>
internal sealed class Git : IDisposable
{
    public Git()
    {
        Root = Directory.CreateTempSubdirectory("nono-git-").FullName;
        Home = Path.Join(Root, "home");
        Directory.CreateDirectory(Home);
    }

    public string Root { get; }

    public string Home { get; }

    public (int Status, string Output) Try(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = Home;
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["XDG_CONFIG_HOME"] = Path.Join(Home, ".config");
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "Test";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }

    public string Run(string directory, params string[] arguments)
    {
        var (status, output) = Try(directory, arguments);
        Assert.True(status == 0, $"git {string.Join(' ', arguments)} failed ({status}): {output}");
        return output;
    }

    /// <summary>A new repository with one commit.</summary>
    public string Init(string relative)
    {
        var path = Path.Join(Root, relative);
        Directory.CreateDirectory(path);
        Run(path, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Join(path, "file.txt"), "one\n");
        Run(path, "add", "file.txt");
        Run(path, "commit", "-q", "-m", "first");
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
