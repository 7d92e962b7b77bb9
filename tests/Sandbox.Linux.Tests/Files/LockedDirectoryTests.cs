using System.Diagnostics;
using Nono.Sandbox.Linux.Files;

namespace Nono.Sandbox.Linux.Tests.Files;

public sealed class LockedDirectoryTests : IDisposable
{
    private const string Prefix = "nono-session-";
    private readonly DirectoryInfo _parent = Directory.CreateTempSubdirectory("nono-sessiondir-");
    private readonly DirectoryInfo _outside = Directory.CreateTempSubdirectory("nono-outside-");

    public void Dispose()
    {
        foreach (var root in new[] { _parent, _outside })
        {
            Run("chmod", "-R", "u+rwx", root.FullName);
            root.Delete(recursive: true);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        process.WaitForExit();
    }

    /// <summary>What a sandboxed program might leave: nested files, a directory it made read-only, and links out.</summary>
    private void Litter(string directory)
    {
        var nested = Directory.CreateDirectory(Path.Join(directory, "a", "b"));
        File.WriteAllText(Path.Join(nested.FullName, "file"), "x");
        var locked = Directory.CreateDirectory(Path.Join(directory, "readonly"));
        File.WriteAllText(Path.Join(locked.FullName, "kept-in"), "x");
        File.SetUnixFileMode(locked.FullName, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Join(directory, "link-to-outside"), _outside.FullName);
        File.CreateSymbolicLink(Path.Join(directory, "a", "link-to-file"), Path.Join(_outside.FullName, "precious"));
    }

    [Fact]
    public void Created_private_and_removed_with_everything_in_it_without_following_links()
    {
        File.WriteAllText(Path.Join(_outside.FullName, "precious"), "keep");
        var session = LockedDirectory.Create(_parent.FullName, Prefix + "one");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(session.Path));
        Litter(session.Path);

        Assert.True(session.Remove());

        Assert.False(Directory.Exists(session.Path));
        Assert.Equal("keep", File.ReadAllText(Path.Join(_outside.FullName, "precious")));
    }

    [Fact]
    public void Removal_follows_nesting_only_to_a_bound_and_reports_what_it_left()
    {
        var shallow = LockedDirectory.Create(_parent.FullName, Prefix + "shallow");
        var deep = LockedDirectory.Create(_parent.FullName, Prefix + "deep");
        Directory.CreateDirectory(Path.Join([shallow.Path, .. Enumerable.Repeat("d", 200)]));
        Directory.CreateDirectory(Path.Join([deep.Path, .. Enumerable.Repeat("d", 300)]));

        Assert.True(shallow.Remove());
        Assert.False(deep.Remove());

        Assert.False(Directory.Exists(shallow.Path));
        Assert.True(Directory.Exists(deep.Path));
    }

    [Fact]
    public void A_live_sessions_directory_is_never_swept()
    {
        using var live = LockedDirectory.Create(_parent.FullName, Prefix + "live");

        Assert.Equal(0, LockedDirectory.RemoveAbandoned(_parent.FullName, Prefix, TimeSpan.Zero));
        Assert.True(Directory.Exists(live.Path));
    }

    [Fact]
    public void An_abandoned_directory_is_swept_but_only_once_old_enough_and_links_are_never_followed()
    {
        File.WriteAllText(Path.Join(_outside.FullName, "precious"), "keep");
        var abandoned = Directory.CreateDirectory(Path.Join(_parent.FullName, Prefix + "killed")).FullName;
        Litter(abandoned);
        File.CreateSymbolicLink(Path.Join(_parent.FullName, Prefix + "a-link"), _outside.FullName);
        var unrelated = Directory.CreateDirectory(Path.Join(_parent.FullName, "something-else")).FullName;

        Assert.Equal(0, LockedDirectory.RemoveAbandoned(_parent.FullName, Prefix, TimeSpan.FromHours(1)));
        Assert.True(Directory.Exists(abandoned));

        Assert.Equal(1, LockedDirectory.RemoveAbandoned(_parent.FullName, Prefix, TimeSpan.Zero));
        Assert.False(Directory.Exists(abandoned));
        Assert.True(Directory.Exists(unrelated));
        Assert.NotNull(new FileInfo(Path.Join(_parent.FullName, Prefix + "a-link")).LinkTarget);
        Assert.Equal("keep", File.ReadAllText(Path.Join(_outside.FullName, "precious")));
    }

    [Fact]
    public void The_lock_of_a_killed_owner_is_gone_so_its_directory_is_swept()
    {
        // A real process locks a directory the way a session does and is killed with SIGKILL.
        var directory = Directory.CreateDirectory(Path.Join(_parent.FullName, Prefix + "sigkilled")).FullName;
        using var holder = Process.Start("flock", ["--exclusive", directory, "sleep", "60"]);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline && !LockedByAnother(directory))
            {
                Thread.Sleep(20);
            }

            Assert.True(LockedByAnother(directory));
            Assert.Equal(0, LockedDirectory.RemoveAbandoned(_parent.FullName, Prefix, TimeSpan.Zero));
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }

        // The kernel drops the lock once the last process holding it (flock's child too) is gone.
        var released = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < released && LockedByAnother(directory))
        {
            Thread.Sleep(20);
        }

        Assert.Equal(1, LockedDirectory.RemoveAbandoned(_parent.FullName, Prefix, TimeSpan.Zero));
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void Another_users_directory_is_left_alone()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "changing a directory's owner needs root");
        var foreign = Directory.CreateDirectory(Path.Join(_parent.FullName, Prefix + "foreign")).FullName;
        Run("chown", "65534", foreign);

        Assert.Equal(0, LockedDirectory.RemoveAbandoned(_parent.FullName, Prefix, TimeSpan.Zero));
        Assert.True(Directory.Exists(foreign));
    }

    private static bool LockedByAnother(string directory)
    {
        using var probe = Process.Start("flock", ["--exclusive", "--nonblock", directory, "true"]);
        probe.WaitForExit();
        return probe.ExitCode != 0;
    }
}
