using System.Text;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

/// <summary>
/// A throw-away user: a real temporary directory holding home, working, temp and config directories,
/// and the <see cref="HostEnvironment"/> that points at them.
/// </summary>
internal sealed class TestHost : IDisposable
{
    /// <param name="variables">The caller's environment.</param>
    /// <param name="outsideTmp">Put the home outside /tmp (under /var/tmp), for profiles that grant
    /// write access to /tmp, which would otherwise lie above the home.</param>
    public TestHost(IReadOnlyDictionary<string, string>? variables = null, bool outsideTmp = false)
    {
        Root = outsideTmp
            ? Directory.CreateDirectory(Path.Join("/var/tmp", "nono-profiles-" + Path.GetRandomFileName())).FullName
            : Directory.CreateTempSubdirectory("nono-profiles-").FullName;
        Home = Directory.CreateDirectory(Path.Join(Root, "home", "user")).FullName;
        Work = Directory.CreateDirectory(Path.Join(Home, "project")).FullName;
        Tmp = Directory.CreateDirectory(Path.Join(Root, "tmp")).FullName;
        ConfigHome = Directory.CreateDirectory(Path.Join(Root, "xdg-config")).FullName;
        var all = new Dictionary<string, string>(StringComparer.Ordinal) { ["XDG_CONFIG_HOME"] = ConfigHome };
        foreach (var (key, value) in variables ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        Environment = new HostEnvironment { Home = Home, WorkDir = Work, TmpDir = Tmp, Variables = all };
    }

    public string Root { get; }

    public string Home { get; }

    public string Work { get; }

    public string Tmp { get; }

    public string ConfigHome { get; }

    public HostEnvironment Environment { get; }

    public string UserProfiles => Directory.CreateDirectory(Path.Join(ConfigHome, "nono", "profiles")).FullName;

    public ProfileStore Store => new(Environment);

    /// <summary>Writes a user profile (found by name) and returns its path.</summary>
    public string WriteUserProfile(string name, string json, string extension = ".json") =>
        WriteFile(Path.Join(UserProfiles, name + extension), json);

    public string WriteFile(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public string MakeDirectory(string relativeToHome) => Directory.CreateDirectory(Path.Join(Home, relativeToHome)).FullName;

    public SessionSettings Resolve(SessionFlags? flags = null, ICredentialServiceCatalog? catalog = null, SessionScope scope = SessionScope.Full) =>
        SessionResolver.Resolve(Environment, flags ?? SessionFlags.None, scope, catalog ?? new TestCatalog());

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
