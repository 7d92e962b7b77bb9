namespace Nono.EndToEnd.Tests.Wrap;

/// <summary>
/// Secrets outside the user's grants that the base policy or a broad grant could reach: owner-only
/// files below /etc (readable by root as their owner even with every capability dropped), and the
/// credentials in the account's real home when $HOME names another directory.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WrapSystemSecretsTests : IDisposable
{
    private readonly TempTree _tree = new();

    [Fact]
    public async Task Owner_only_files_below_etc_are_unreadable_while_their_public_neighbours_are_readable()
    {
        var found = await Run.ProcessAsync("find", ["/etc", "-mindepth", "2", "-type", "f", "!", "-perm", "-o=r"]);
        var candidates = found.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var secrets = new List<string>();
        foreach (var candidate in candidates.Take(8))
        {
            // Only files this user can read outside the sandbox show that the sandbox is what refuses.
            if ((await Run.BareProbeAsync("read", candidate)).Stdout == "ok")
            {
                secrets.Add(candidate);
            }
        }

        Assert.SkipWhen(secrets.Count == 0, "no file below /etc is both owner-only and readable by this user outside the sandbox (run as root to check)");
        foreach (var secret in secrets)
        {
            ProbeAssert.Denied(await Run.WrappedProbeAsync([], "read", secret));
        }

        var neighbours = await Run.ProcessAsync("find", [Path.GetDirectoryName(secrets[0])!, "-maxdepth", "1", "-type", "f", "-perm", "-o=r"]);
        if (neighbours.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } neighbour)
        {
            ProbeAssert.Allowed(await Run.WrappedProbeAsync([], "read", neighbour));
        }
    }

    [Fact]
    public async Task Credentials_in_the_accounts_home_stay_hidden_when_HOME_points_elsewhere()
    {
        var realHome = AccountHome();
        Assert.SkipWhen(realHome is null || !Directory.Exists(realHome), "this user has no existing home directory in /etc/passwd");

        // A throwaway credential file in a sensitive directory of the real home, removed afterwards.
        var kube = Path.Join(realHome, ".kube");
        var createdKube = !Directory.Exists(kube);
        var secret = Path.Join(kube, $"nono-e2e-{Guid.NewGuid():N}");
        var notes = Path.Join(realHome, $"nono-e2e-{Guid.NewGuid():N}.txt");
        try
        {
            Directory.CreateDirectory(kube);
            File.WriteAllText(secret, "token\n");
            File.WriteAllText(notes, "notes\n");
            var environment = new Dictionary<string, string?> { ["HOME"] = _tree.Dir("elsewhere") };

            ProbeAssert.Denied(await Run.WrappedProbeAsync(["--read", realHome], environment, "read", secret));
            ProbeAssert.Allowed(await Run.WrappedProbeAsync(["--read", realHome], environment, "read", notes));
            ProbeAssert.Allowed(await Run.BareProbeAsync("read", secret));
        }
        finally
        {
            File.Delete(secret);
            File.Delete(notes);
            if (createdKube)
            {
                Directory.Delete(kube);
            }
        }
    }

    [Fact]
    public async Task Nested_inside_a_sandbox_that_hides_etc_nono_refuses_with_the_step_that_failed()
    {
        // The outer sandbox grants /etc entry by entry, so the inner nono cannot list /etc itself.
        var nonoDirectory = Path.GetDirectoryName(NonoBinary.Path)!;
        var result = await Run.NonoAsync("wrap", "--read", nonoDirectory, "--", NonoBinary.Path, "wrap", "--dry-run", "--", "/bin/true");

        Assert.Equal(126, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nono: cannot sandbox: cannot list /etc: ", line, StringComparison.Ordinal);
    }

    public void Dispose() => _tree.Dispose();

    /// <summary>The home /etc/passwd gives the account these tests run as.</summary>
    private static string? AccountHome()
    {
        var uid = File.ReadLines("/proc/self/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[2];
        return File.ReadLines("/etc/passwd").Select(line => line.Split(':')).FirstOrDefault(fields => fields.Length >= 7 && fields[2] == uid)?[5];
    }
}
