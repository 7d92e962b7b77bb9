namespace Nono.Sandbox.MacOS.Tests;

/// <summary>The link resolver against real symbolic links in a temporary directory.</summary>
public sealed class FileSystemPathResolverTests : IDisposable
{
    private readonly string _root;
    private readonly FileSystemPathResolver _resolver = new();

    public FileSystemPathResolverTests()
    {
        // Resolve the temporary directory itself first: on macOS it lies behind /var -> /private/var.
        _root = _resolver.Resolve(Directory.CreateTempSubdirectory("nono-resolver-").FullName);
        Directory.CreateDirectory(Path.Join(_root, "real", "inner"));
        File.WriteAllText(Path.Join(_root, "real", "inner", "file.txt"), "x");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Path_without_links_is_returned_unchanged()
    {
        var path = Path.Join(_root, "real", "inner", "file.txt");

        Assert.Equal(path, _resolver.Resolve(path));
    }

    [Fact]
    public void Absolute_link_in_the_middle_of_a_path_is_followed()
    {
        Directory.CreateSymbolicLink(Path.Join(_root, "abs"), Path.Join(_root, "real"));

        Assert.Equal(Path.Join(_root, "real", "inner", "file.txt"), _resolver.Resolve(Path.Join(_root, "abs", "inner", "file.txt")));
    }

    [Fact]
    public void Relative_link_with_parent_steps_is_followed_from_its_own_directory()
    {
        Directory.CreateDirectory(Path.Join(_root, "other"));
        Directory.CreateSymbolicLink(Path.Join(_root, "other", "rel"), "../real/inner");

        Assert.Equal(Path.Join(_root, "real", "inner", "file.txt"), _resolver.Resolve(Path.Join(_root, "other", "rel", "file.txt")));
    }

    [Fact]
    public void Chained_links_are_followed_to_the_end()
    {
        Directory.CreateSymbolicLink(Path.Join(_root, "one"), Path.Join(_root, "two"));
        Directory.CreateSymbolicLink(Path.Join(_root, "two"), "real");

        Assert.Equal(Path.Join(_root, "real", "inner"), _resolver.Resolve(Path.Join(_root, "one", "inner")));
    }

    [Fact]
    public void Parent_step_after_a_link_leaves_the_link_target_not_the_link()
    {
        Directory.CreateDirectory(Path.Join(_root, "a", "b"));
        Directory.CreateSymbolicLink(Path.Join(_root, "jump"), Path.Join(_root, "a", "b"));
        File.WriteAllText(Path.Join(_root, "a", "sibling"), "x");

        // jump/../sibling is a/b/../sibling = a/sibling, not <root>/sibling.
        Directory.CreateSymbolicLink(Path.Join(_root, "via"), "jump/../sibling");

        Assert.Equal(Path.Join(_root, "a", "sibling"), _resolver.Resolve(Path.Join(_root, "via")));
    }

    [Fact]
    public void Missing_tail_is_kept_as_given()
    {
        Directory.CreateSymbolicLink(Path.Join(_root, "abs"), Path.Join(_root, "real"));

        Assert.Equal(
            Path.Join(_root, "real", "not", "yet", "there"),
            _resolver.Resolve(Path.Join(_root, "abs", "not", "yet", "there")));
    }

    [Fact]
    public void Dangling_link_resolves_to_where_it_points()
    {
        File.CreateSymbolicLink(Path.Join(_root, "dangling"), Path.Join(_root, "gone", "file"));

        Assert.Equal(Path.Join(_root, "gone", "file"), _resolver.Resolve(Path.Join(_root, "dangling")));
    }

    [Fact]
    public void Link_loop_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Join(_root, "loop1"), Path.Join(_root, "loop2"));
        Directory.CreateSymbolicLink(Path.Join(_root, "loop2"), Path.Join(_root, "loop1"));

        var error = Assert.Throws<PolicyException>(() => _resolver.Resolve(Path.Join(_root, "loop1", "x")));
        Assert.Contains("symbolic links", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_profile_grants_the_real_target_of_a_real_link()
    {
        var link = Path.Join(_root, "project-link");
        Directory.CreateSymbolicLink(link, Path.Join(_root, "real"));
        var context = new SeatbeltContext("/Users/alice") { Resolver = _resolver };

        var rules = Profiles.Rules(SeatbeltSandbox.GenerateProfile(
            new SandboxPolicy { Grants = [FsGrant.Directory(link, FsAccess.Read)] },
            context));

        var rule = Assert.Single(rules.Allowing("file-read*", "subpath", link));
        Assert.True(rule.HasFilter("subpath", Path.Join(_root, "real")));
    }
}
