namespace Nono.Supervisor.Session;

/// <summary>
/// How this nono starts its own `__sandbox-exec`: the native binary runs itself; the
/// framework-dependent build (published from Linux for a Mac, see README) may have been started as
/// `dotnet nono.dll`, in which case the process is `dotnet` and needs the assembly in front.
/// </summary>
internal static class TrampolineCommand
{
    public static (string Program, string[] Arguments) Current()
    {
        var process = Environment.ProcessPath
            ?? throw new SessionException("cannot find the nono executable to start the sandbox with (the process path is unknown)");
        if (Path.GetFileNameWithoutExtension(process) != "dotnet")
        {
            return (process, []);
        }

        var assembly = Path.Join(AppContext.BaseDirectory, "nono.dll");
        return File.Exists(assembly)
            ? (process, [assembly])
            : throw new SessionException($"nono runs under '{process}' but its assembly is not at '{assembly}'; start the nono executable directly");
    }
}
