using System.Runtime.CompilerServices;
using Nono.Sandbox.Linux.Launch;

namespace Nono.Sandbox.Linux.Tests.Launch;

/// <summary>
/// Lets this test executable serve as the stage-2 trampoline (`&lt;test host&gt; __sandbox-exec &lt;fd&gt;`),
/// the way the nono binary does, so the launcher can be tested without the published binary.
/// </summary>
internal static class Stage2Host
{
    /// <summary>The program and leading arguments that run this assembly as stage 2.</summary>
    public static (string Program, string[] Arguments) Command
    {
        get
        {
            var process = Environment.ProcessPath!;
            return Path.GetFileNameWithoutExtension(process) == "dotnet"
                ? (process, [typeof(Stage2Host).Assembly.Location])
                : (process, []);
        }
    }

    [ModuleInitializer]
    internal static void RunWhenAskedTo()
    {
        var args = Environment.GetCommandLineArgs();
        if (args.Length == 3 && args[1] == SandboxExec.CommandName)
        {
            Environment.Exit(SandboxExec.RunStage2(args[2]));
        }
    }
}
