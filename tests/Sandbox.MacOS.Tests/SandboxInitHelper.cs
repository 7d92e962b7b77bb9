using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nono.Sandbox.MacOS.Tests;

/// <summary>
/// Runs this test assembly again as a child that applies a profile with
/// <see cref="SeatbeltSandbox.ApplyProfile"/> and then execs a program, the way the stage-2
/// trampoline does. The child mode is chosen by environment variables before any test code runs.
/// </summary>
internal static partial class SandboxInitHelper
{
    private const string ProfileVariable = "NONO_TEST_SEATBELT_PROFILE";

    public static (int Exit, string Output) Run(string profile, string program, params string[] arguments)
    {
        var profileFile = Path.GetTempFileName();
        File.WriteAllText(profileFile, profile);
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(typeof(SandboxInitHelper).Assembly.Location);
            start.ArgumentList.Add(program);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment[ProfileVariable] = profileFile;
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error);
        }
        finally
        {
            File.Delete(profileFile);
        }
    }

#pragma warning disable CA2255 // A test executable, not a library: the child mode must run before the test host starts.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RunAsChildIfAsked()
    {
        var profileFile = Environment.GetEnvironmentVariable(ProfileVariable);
        if (profileFile is null || !OperatingSystem.IsMacOS())
        {
            return;
        }

        var argv = Environment.GetCommandLineArgs().Skip(1).ToArray();
        var profile = File.ReadAllText(profileFile);
        try
        {
            SeatbeltSandbox.ApplyProfile(profile);
        }
        catch (SandboxUnavailableException error)
        {
            Console.Error.WriteLine(error.Message);
            Environment.Exit(125);
        }

        Execv(argv[0], [.. argv, null]);
        Console.Error.WriteLine($"execv {argv[0]} failed: {Marshal.GetLastPInvokeError()}");
        Environment.Exit(126);
    }

    [LibraryImport("/usr/lib/libSystem.dylib", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execv(string path, string?[] argv);
}
