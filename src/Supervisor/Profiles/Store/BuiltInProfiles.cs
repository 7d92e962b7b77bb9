using System.Reflection;

namespace Nono.Supervisor.Profiles;

/// <summary>
/// Profiles embedded in the binary (Profiles/BuiltIn/*.jsonc as manifest resources, which NativeAOT
/// keeps), and the base layer every session starts from.
/// </summary>
internal static class BuiltInProfiles
{
    private const string ProfilePrefix = "profiles/";
    private const string BasePrefix = "base/";
    private const string Extension = ".jsonc";

    private static readonly Assembly Assembly = typeof(BuiltInProfiles).Assembly;

    public static IReadOnlyList<string> Names { get; } =
    [
        .. Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ProfilePrefix, StringComparison.Ordinal) && name.EndsWith(Extension, StringComparison.Ordinal))
            .Select(name => name[ProfilePrefix.Length..^Extension.Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>No profile: only the base layer and the flags (what `nono wrap` grants without --profile).</summary>
    public static LoadedProfile None { get; } = new(new ProfileSource("none", ProfileOrigin.BuiltIn, null), ProfileSpec.Empty);

    public static bool Exists(string name) => Names.Contains(name);

    public static LoadedProfile Load(string name)
    {
        var source = new ProfileSource(name, ProfileOrigin.BuiltIn, null);
        return new LoadedProfile(source, ProfileParser.Parse(Read(ProfilePrefix + name + Extension), source.ErrorOrigin));
    }

    /// <summary>
    /// The layer under every profile: system directories a program needs to start at all (read and
    /// execute), the few device files everything opens, and masks for desktop sockets. It grants nothing
    /// of the user's.
    /// </summary>
    public static LoadedProfile Base()
    {
        var name = OperatingSystem.IsMacOS() ? "macos" : "linux";
        var source = new ProfileSource($"base-{name}", ProfileOrigin.BuiltIn, null);
        return new LoadedProfile(source, ProfileParser.Parse(Read(BasePrefix + name + Extension), source.ErrorOrigin));
    }

    private static byte[] Read(string resource)
    {
        using var stream = Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The built-in profile resource '{resource}' is missing from this build of nono.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
