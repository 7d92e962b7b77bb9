using System.Text.RegularExpressions;

namespace Nono.Sandbox.Tests;

/// <summary>
/// Every C library function is declared once in src (src/Interop holds the ones several assemblies
/// call): two declarations of one entry point drift apart in their types, errno handling and library
/// name. Overloads of one variadic function belong in the same file.
/// </summary>
public sealed partial class NativeDeclarationTests
{
    /// <summary>Declarations outside src/Interop that still repeat one of its entry points. Each must
    /// still be a repeat (so the list can only shrink); a new repeat fails the test.</summary>
    private static readonly Dictionary<string, string[]> KnownRepeats = new(StringComparer.Ordinal)
    {
        ["geteuid"] = ["src/Supervisor/Profiles/Host/UserAccounts.cs"],
        ["open"] = ["src/Proxy/Credentials/NonBlockingOpen.cs"],
        ["read"] = ["src/Proxy/Upstream/SpliceInterop.cs"],
        ["fcntl"] = ["src/Proxy/Upstream/SpliceInterop.cs"],
        ["pipe2"] = ["src/Proxy/Upstream/SpliceInterop.cs"],
    };

    [Fact]
    public void Every_native_declaration_names_its_entry_point()
    {
        var unnamed = Declarations().Where(declaration => declaration.EntryPoint is null)
            .Select(declaration => $"{declaration.File}: {declaration.Attribute}")
            .ToList();

        Assert.True(unnamed.Count == 0, "declare EntryPoint explicitly:\n" + string.Join('\n', unnamed));
    }

    [Fact]
    public void Each_libc_entry_point_is_declared_in_one_file()
    {
        var repeated = Declarations()
            .Where(declaration => declaration.EntryPoint is not null)
            .GroupBy(declaration => declaration.EntryPoint!, StringComparer.Ordinal)
            .Select(group => (EntryPoint: group.Key, Files: group.Select(declaration => declaration.File).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()))
            .Where(entry => entry.Files.Count > 1)
            .ToList();

        var unexpected = repeated
            .Select(entry => (entry.EntryPoint, Files: entry.Files.Except(KnownRepeats.GetValueOrDefault(entry.EntryPoint, []), StringComparer.Ordinal).ToList()))
            .Where(entry => entry.Files.Count > 1)
            .Select(entry => $"{entry.EntryPoint}: {string.Join(", ", entry.Files)}")
            .ToList();
        Assert.True(unexpected.Count == 0, "declared in more than one file (use src/Interop):\n" + string.Join('\n', unexpected));

        var stale = KnownRepeats
            .SelectMany(known => known.Value.Select(file => (EntryPoint: known.Key, File: file)))
            .Where(known => !repeated.Any(entry => entry.EntryPoint == known.EntryPoint && entry.Files.Contains(known.File)))
            .Select(known => $"{known.EntryPoint}: {known.File}")
            .ToList();
        Assert.True(stale.Count == 0, "no longer repeated, remove from KnownRepeats:\n" + string.Join('\n', stale));
    }

    [Fact]
    public void The_scan_sees_the_shared_declarations()
    {
        // Guards the scan itself: a pattern that matched nothing would pass the tests above.
        var close = Declarations().Where(declaration => declaration.EntryPoint == "close").ToList();

        Assert.Equal(["src/Interop/Posix/Close.cs"], close.Select(declaration => declaration.File));
        Assert.Contains(Declarations(), declaration => declaration.EntryPoint == "syscall");
    }

    private static IEnumerable<(string File, string Attribute, string? EntryPoint)> Declarations()
    {
        var root = SourceRoot();
        foreach (var path in Directory.EnumerateFiles(Path.Join(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            var file = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match attribute in ImportAttribute().Matches(File.ReadAllText(path)))
            {
                var entryPoint = EntryPoint().Match(attribute.Value);
                yield return (file, attribute.Value, entryPoint.Success ? entryPoint.Groups["name"].Value : null);
            }
        }
    }

    private static string SourceRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, "nono.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (nono.slnx) is not above the test's directory");
    }

    [GeneratedRegex(@"\[(?:LibraryImport|DllImport)\([^\]]*\)\]")]
    private static partial Regex ImportAttribute();

    [GeneratedRegex(@"EntryPoint\s*=\s*""(?<name>[^""]+)""")]
    private static partial Regex EntryPoint();
}
