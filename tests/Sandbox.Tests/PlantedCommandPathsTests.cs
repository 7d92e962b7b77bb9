namespace Nono.Sandbox.Tests;

public sealed class PlantedCommandPathsTests
{
    [Fact]
    public void Only_entries_inside_a_writable_grant_are_kept_read_only()
    {
        FsGrant[] grants =
        [
            FsGrant.Directory("/home/u/.claude", FsAccess.ReadWrite),
            FsGrant.Directory("/home/u/.codex", FsAccess.Read),
        ];

        var entry = Assert.Single(PlantedCommandPaths.InsideWritableGrants(["/home/u"], grants));

        Assert.Equal("/home/u/.claude/settings.json", entry.Path);
        Assert.Contains("hooks", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_writable_grant_above_the_home_covers_every_entry_and_a_file_grant_covers_itself()
    {
        Assert.Equal(PlantedCommandPaths.UnderHome.Count, PlantedCommandPaths.InsideWritableGrants(["/home/u"], [FsGrant.Directory("/home", FsAccess.Write)]).Count);
        Assert.Single(PlantedCommandPaths.InsideWritableGrants(["/home/u"], [FsGrant.File("/home/u/.codex/config.toml", FsAccess.ReadWrite)]));
        Assert.Empty(PlantedCommandPaths.InsideWritableGrants(["/home/u"], [FsGrant.Directory("/home/u/project", FsAccess.ReadWrite)]));
    }
}
