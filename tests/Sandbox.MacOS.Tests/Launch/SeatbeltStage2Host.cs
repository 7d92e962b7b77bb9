using System.Runtime.CompilerServices;
using Nono.Sandbox.MacOS.Launch;

namespace Nono.Sandbox.MacOS.Tests.Launch;

/// <summary>
/// Lets this test executable serve as the macOS stage 2 (`&lt;test host&gt; __sandbox-exec 3`), the
/// way the nono binary does, so the launcher can be tested without the published binary.
/// </summary>
internal static class SeatbeltStage2Host
{
    /// <summary>The program and leading arguments that run this assembly as stage 2.</summary>
    public static (string Program, string[] Arguments) Command
    {
        get
        {
            var process = Environment.ProcessPath!;
            return Path.GetFileNameWithoutExtension(process) == "dotnet"
                ? (process, [typeof(SeatbeltStage2Host).Assembly.Location])
                : (process, []);
        }
    }

#pragma warning disable CA2255 // A test executable, not a library: stage 2 must run before the test host starts.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RunWhenAskedTo()
    {
        var args = Environment.GetCommandLineArgs();
        if (args.Length == 3 && args[1] == Stage2.CommandName)
        {
            Environment.Exit(Stage2.Run(args[2]));
        }
    }
}
