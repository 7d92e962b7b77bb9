namespace Nono.Sandbox.Tests;

public sealed class PathCanonicalizerTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("nono-canon-");

    [Fact]
    public void Symlinked_directories_are_resolved_even_for_missing_leaves()
    {
        var real = Directory.CreateDirectory(Path.Join(_root.FullName, "real", "home")).FullName;
        var link = Path.Join(_root.FullName, "link");
        Directory.CreateSymbolicLink(link, Path.Join("real", "home"));
        var root = PathCanonicalizer.Canonicalize(_root.FullName);

        Assert.Equal(Path.Join(root, "real", "home", ".ssh"), PathCanonicalizer.Canonicalize(Path.Join(link, ".ssh")));
        Assert.Equal(PathCanonicalizer.Canonicalize(real), PathCanonicalizer.Canonicalize(link));
    }

    [Fact]
    public void Dot_segments_are_applied_after_resolving_links()
    {
        Directory.CreateDirectory(Path.Join(_root.FullName, "a", "b"));
        Directory.CreateSymbolicLink(Path.Join(_root.FullName, "l"), Path.Join(_root.FullName, "a", "b"));
        var root = PathCanonicalizer.Canonicalize(_root.FullName);

        // Like the kernel: l/.. is the parent of l's target, not the directory holding l.
        Assert.Equal(Path.Join(root, "a"), PathCanonicalizer.Canonicalize(Path.Join(_root.FullName, "l") + "/.."));
    }

    [Fact]
    public void Symlink_loops_are_a_policy_error()
    {
        var loop = Path.Join(_root.FullName, "loop");
        File.CreateSymbolicLink(loop, loop);
        Assert.Throws<PolicyException>(() => PathCanonicalizer.Canonicalize(loop));
    }

    public void Dispose() => _root.Delete(recursive: true);
}
