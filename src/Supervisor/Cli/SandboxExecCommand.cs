using System.CommandLine;
using Nono.Sandbox;

namespace Nono.Supervisor.Cli;

/// <summary>The hidden stage-2 trampoline: `nono __sandbox-exec &lt;fd&gt;`, started by unshare(1) or a
/// supervisor, never by a person. Linux applies Landlock and seccomp; macOS applies Seatbelt.</summary>
internal static class SandboxExecCommand
{
    /// <summary>The name the launchers put on the trampoline's command line.</summary>
    public const string Name = Stage2Command.Name;

    public static Command Create()
    {
        var descriptor = new Argument<string>("fd") { Description = "Inherited descriptor holding the launch spec" };
        var command = new Command(Name, "Apply the sandbox described on an inherited descriptor and execute the target")
        {
            Hidden = true,
        };
        command.Add(descriptor);
        command.SetAction(result => Run(result.GetValue(descriptor) ?? string.Empty));
        return command;
    }

    public static int Run(string descriptor)
    {
        if (OperatingSystem.IsMacOS())
        {
            return Nono.Sandbox.MacOS.Launch.SandboxExec.RunStage2(descriptor);
        }

        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("nono: the sandbox trampoline runs on Linux and macOS only.");
            return ExitCodes.SandboxFailed;
        }

        return Nono.Sandbox.Linux.Launch.SandboxExec.RunStage2(descriptor);
    }
}
