namespace Nono.EndToEnd.Tests;

/// <summary>Locates the published NativeAOT `nono` these tests run: $NONO_BIN (set by
/// build/test.sh), else artifacts/nono in the repository.</summary>
internal static class NonoBinary
{
    private static readonly Lazy<string> Location = new(Find);

    public static string Path => Location.Value;

    /// <summary>The probe compiled next to this test assembly (tests/Probe/probe.c).</summary>
    public static string Probe => System.IO.Path.Join(AppContext.BaseDirectory, "probe");

    public static string ProbeDirectory => AppContext.BaseDirectory.TrimEnd('/');

    private static string Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("NONO_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(fromEnvironment)
                ? fromEnvironment
                : throw new InvalidOperationException($"NONO_BIN points at '{fromEnvironment}', which does not exist; run build/publish.sh.");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Join(directory.FullName, "nono.slnx")))
            {
                var candidate = System.IO.Path.Join(directory.FullName, "artifacts", "nono");
                if (File.Exists(candidate))
                {
                    return candidate;
                }

                break;
            }
        }

        throw new InvalidOperationException(
            "The end-to-end tests run the published nono binary: run build/publish.sh (or build/test.sh), or set NONO_BIN.");
    }
}
