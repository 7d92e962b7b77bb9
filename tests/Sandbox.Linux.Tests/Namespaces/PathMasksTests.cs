using Nono.Sandbox.Linux.Namespaces;

namespace Nono.Sandbox.Linux.Tests.Namespaces;

public sealed class PathMasksTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("nono-masks-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void Existing_denied_directory_inside_a_grant_is_masked()
    {
        var ssh = Directory.CreateDirectory(Path.Join(_home, ".ssh")).FullName;

        var masks = PathMasks.Compute(Policy(FsAccess.ReadExecute, ssh));

        Assert.Equal(new PathMask(ssh, IsDirectory: true), Assert.Single(masks));
    }

    [Fact]
    public void Missing_denied_path_inside_a_writable_grant_is_refused()
    {
        var ssh = Path.Join(_home, ".ssh");

        var error = Assert.Throws<PolicyException>(() => PathMasks.Compute(Policy(FsAccess.All, ssh)));

        Assert.Contains(ssh, error.Message, StringComparison.Ordinal);
        Assert.Contains("create it first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_denied_path_inside_a_read_only_grant_needs_no_mask()
    {
        // The program cannot create it, and there is nothing in it to read.
        var masks = PathMasks.Compute(Policy(FsAccess.ReadExecute, Path.Join(_home, ".ssh")));

        Assert.Empty(masks);
    }

    private SandboxPolicy Policy(FsAccess access, string deny) => new()
    {
        Grants = [FsGrant.Directory(_home, access)],
        Denies = [deny],
    };
}
