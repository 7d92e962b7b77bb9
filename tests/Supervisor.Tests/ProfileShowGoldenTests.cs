using System.Runtime.CompilerServices;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

/// <summary>
/// What `nono profile show NAME` prints for every built-in profile (after extends, groups and this
/// platform's overrides), compared with the files in Golden/show. A change in a built-in profile or in
/// the expansion shows up as a diff to review; NONO_UPDATE_GOLDEN=1 rewrites the files.
/// </summary>
public sealed class ProfileShowGoldenTests
{
    public static TheoryData<string> Names => [.. BuiltInProfiles.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Show_prints_the_effective_built_in_profile(string name)
    {
        using var host = new TestHost();
        var shown = ProfileJsonWriter.Write(ProfileResolver.Resolve(host.Store, name).Spec);
        var platform = OperatingSystem.IsMacOS() ? "macos" : "linux";
        var golden = Path.Join(GoldenDirectory(), platform, name + ".json");

        if (Environment.GetEnvironmentVariable("NONO_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            File.WriteAllText(golden, shown);
        }

        Assert.True(File.Exists(golden), $"{golden} is missing; run with NONO_UPDATE_GOLDEN=1 and review the new file");
        Assert.Equal(File.ReadAllText(golden), shown);
    }

    private static string GoldenDirectory([CallerFilePath] string source = "") =>
        Path.Join(Path.GetDirectoryName(source)!, "Golden", "show");
}
