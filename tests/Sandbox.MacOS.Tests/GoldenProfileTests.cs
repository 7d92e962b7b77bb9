using System.Runtime.CompilerServices;

namespace Nono.Sandbox.MacOS.Tests;

/// <summary>
/// Whole profiles for representative policies, compared byte for byte with the files under
/// Golden/. A change to the generator shows up as a reviewable diff of those files; set
/// NONO_UPDATE_GOLDEN=1 to rewrite them in the source tree (then build and run again to compare).
/// </summary>
public sealed class GoldenProfileTests
{
    private const string Work = "/Users/alice/src/app";

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    internal static IReadOnlyDictionary<string, (SandboxPolicy Policy, Dictionary<string, string> Links)> Cases { get; } =
        new Dictionary<string, (SandboxPolicy, Dictionary<string, string>)>
        {
            ["default-like"] = (new SandboxPolicy
            {
                Grants =
                [
                    FsGrant.Directory(Work, FsAccess.All),
                    FsGrant.Directory("/var/folders/zz/abc123/T", FsAccess.ReadWrite),
                    FsGrant.File("/Users/alice/.gitconfig", FsAccess.Read),
                ],
                Network = NetworkPolicy.ViaProxy(41234),
            }, []),
            ["network-blocked"] = (new SandboxPolicy
            {
                Grants = [FsGrant.Directory(Work, FsAccess.ReadWrite)],
                Network = NetworkPolicy.Blocked,
            }, []),
            ["network-host"] = (new SandboxPolicy
            {
                Grants = [FsGrant.Directory(Work, FsAccess.ReadWrite)],
                Network = NetworkPolicy.Host,
            }, []),
            ["network-proxy-ports"] = (new SandboxPolicy
            {
                Grants = [FsGrant.Directory(Work, FsAccess.ReadExecute)],
                Network = NetworkPolicy.ViaProxy(41234, 41235) with { ConnectPorts = [5432], BindPorts = [3000] },
            }, []),
            ["escaped-paths"] = (new SandboxPolicy
            {
                Grants =
                [
                    FsGrant.Directory("/Users/alice/My Projects/the \"best\" one", FsAccess.ReadWrite),
                    FsGrant.Directory("/Users/alice/odd\\name (copy); #1", FsAccess.Read),
                    FsGrant.File("/Users/alice/notes/to do.txt", FsAccess.ReadWrite),
                ],
                Denies = ["/Users/alice/My Projects/the \"best\" one/.env.local"],
                Network = NetworkPolicy.Blocked,
            }, []),
            ["symlinked-paths"] = (new SandboxPolicy
            {
                Grants =
                [
                    FsGrant.Directory("/Users/alice/work", FsAccess.All),
                    FsGrant.File("/Users/alice/bin/tool", FsAccess.ReadExecute),
                    FsGrant.Directory("/tmp/build", FsAccess.ReadWrite),
                ],
                Denies = ["/Users/alice/work/credentials"],
                Network = NetworkPolicy.Blocked,
            }, new Dictionary<string, string>
            {
                ["/Users/alice/work"] = "/Volumes/External/work",
                ["/Users/alice/bin/tool"] = "/opt/tools/bin/tool-2.1",
                ["/tmp"] = "/private/tmp",
            }),
            ["home-granted"] = (new SandboxPolicy
            {
                Grants = [FsGrant.Directory(Profiles.Home, FsAccess.ReadWrite)],
                Network = NetworkPolicy.ViaProxy(41234),
            }, []),
            ["keychain-granted"] = (new SandboxPolicy
            {
                Grants = [FsGrant.Directory("/Users/alice/Library/Keychains", FsAccess.ReadWrite)],
                Network = NetworkPolicy.Host,
            }, []),
        };

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Generated_profile_matches_its_golden_file(string name)
    {
        var (policy, links) = Cases[name];
        var actual = Profiles.Generate(policy, links);

        if (Environment.GetEnvironmentVariable("NONO_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(SourcePath(name), actual);
            return;
        }

        var file = Path.Join(AppContext.BaseDirectory, "Golden", name + ".sb");
        Assert.True(File.Exists(file), $"missing golden file {file}; run with NONO_UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(file), actual);
        SExpressionReader.ReadAll(actual);
    }

    [Fact]
    public void Every_golden_file_belongs_to_a_case()
    {
        var files = Directory.GetFiles(Path.Join(AppContext.BaseDirectory, "Golden"), "*.sb").Select(Path.GetFileNameWithoutExtension);

        Assert.Equal(Cases.Keys.Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));
    }

    /// <summary>The golden file in the source tree, for rewriting it.</summary>
    private static string SourcePath(string name, [CallerFilePath] string source = "") =>
        Path.Join(Path.GetDirectoryName(source), "Golden", name + ".sb");
}
