using Nono.Sandbox.Linux.Policy;

namespace Nono.Sandbox.Linux.Tests.Policy;

/// <summary>The /etc grants computed over a scratch tree standing in for /etc.</summary>
public sealed class EtcGrantsTests : IDisposable
{
    private const UnixFileMode Public = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _etc = Directory.CreateTempSubdirectory("nono-etc-").FullName;

    public void Dispose() => Directory.Delete(_etc, recursive: true);

    [Fact]
    public void Directory_with_only_public_content_is_granted_whole()
    {
        File("fonts/fonts.conf", Public);
        File("fonts/conf.d/10-hinting.conf", Public);

        Assert.Equal([Dir("fonts")], Grants());
    }

    [Fact]
    public void Owner_only_file_splits_its_directory_into_grants_for_the_public_entries()
    {
        File("default/locale", Public);
        File("default/cacerts", OwnerOnly);
        File("default/extra/keyboard", Public);

        Assert.Equal([Dir("default/extra"), FileGrant("default/locale")], Grants());
    }

    [Fact]
    public void Owner_only_file_deep_down_splits_every_directory_above_it_only()
    {
        File("postgresql/15/main/postgresql.conf", Public);
        File("postgresql/15/main/pg_hba.conf", OwnerOnly);
        File("postgresql/15/conf.d/tuning.conf", Public);
        File("postgresql/common/createcluster.conf", Public);

        Assert.Equal(
            [Dir("postgresql/15/conf.d"), FileGrant("postgresql/15/main/postgresql.conf"), Dir("postgresql/common")],
            Grants());
    }

    [Fact]
    public void Directory_other_users_cannot_search_is_not_granted()
    {
        File("polkit-1/rules.d/50-default.rules", Public);
        File("polkit-1/actions/org.example.policy", Public);
        System.IO.File.SetUnixFileMode(
            Path.Join(_etc, "polkit-1/rules.d"),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead);

        Assert.Equal([Dir("polkit-1/actions")], Grants());
    }

    [Fact]
    public void Link_in_a_split_directory_is_granted_only_when_it_leads_to_public_content()
    {
        File("app/secret.key", OwnerOnly);
        File("app/settings.conf", Public);
        System.IO.File.CreateSymbolicLink(Path.Join(_etc, "app/key-link"), Path.Join(_etc, "app/secret.key"));
        System.IO.File.CreateSymbolicLink(Path.Join(_etc, "app/settings-link"), "settings.conf");

        Assert.Equal([FileGrant("app/settings-link"), FileGrant("app/settings.conf")], Grants());
    }

    [Fact]
    public void Link_to_a_directory_is_granted_as_far_as_its_target_is_public()
    {
        var target = Directory.CreateTempSubdirectory("nono-etc-target-").FullName;
        try
        {
            System.IO.File.SetUnixFileMode(target, Public | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
            System.IO.File.WriteAllText(Path.Join(target, "public.conf"), "x");
            System.IO.File.WriteAllText(Path.Join(target, "private.key"), "x");
            System.IO.File.SetUnixFileMode(Path.Join(target, "private.key"), OwnerOnly);
            System.IO.File.SetUnixFileMode(Path.Join(target, "public.conf"), Public);
            Directory.CreateSymbolicLink(Path.Join(_etc, "linked"), target);

            Assert.Equal([FileGrant("linked/public.conf")], Grants());
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public void Secret_entries_are_left_out_even_when_world_readable()
    {
        File("shadow", Public);
        File("sudoers.d/admins", Public);
        File("hostname", Public);

        Assert.Equal([FileGrant("hostname")], Grants());
    }

    [Fact]
    public void Only_the_public_parts_of_ssh_are_granted()
    {
        File("ssh/ssh_config", Public);
        File("ssh/ssh_host_ed25519_key", OwnerOnly);
        File("ssh/ssh_host_ed25519_key.pub", Public);

        Assert.Equal([FileGrant("ssh/ssh_config")], Grants());
    }

    [Fact]
    public void An_etc_that_cannot_be_listed_is_refused_naming_the_step()
    {
        var notADirectory = Path.Join(_etc, "file");
        System.IO.File.WriteAllText(notADirectory, "x");

        var error = Assert.Throws<SandboxUnavailableException>(() => LinuxSystemPolicy.EtcGrants(notADirectory));

        Assert.StartsWith($"cannot list {notADirectory}: ", error.Message, StringComparison.Ordinal);
    }

    private FsGrant[] Grants() => [.. LinuxSystemPolicy.EtcGrants(_etc).OrderBy(grant => grant.Path, StringComparer.Ordinal)];

    private FsGrant Dir(string relative) => FsGrant.Directory(Path.Join(_etc, relative), FsAccess.Read);

    private FsGrant FileGrant(string relative) => FsGrant.File(Path.Join(_etc, relative), FsAccess.Read);

    private void File(string relative, UnixFileMode mode)
    {
        var path = Path.Join(_etc, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, relative);
        System.IO.File.SetUnixFileMode(path, mode);
    }
}
