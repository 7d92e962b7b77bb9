using System.CommandLine;
using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.MacOS.Launch;

namespace Nono.Supervisor.Cli;

/// <summary>The hidden stage-2 trampoline: `nono __sandbox-exec &lt;fd&gt;`, started by unshare(1) or a
/// supervisor, never by a person. Linux applies Landlock and seccomp; macOS applies Seatbelt.</summary>
internal static class SandboxExecCommand
{
    /// <summary>Equals SandboxExec.CommandName, which the launcher puts on the trampoline's command line.</summary>
    public const string Name = "__sandbox-exec";

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
            return SeatbeltStage2.Run(descriptor);
        }

        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("nono: the sandbox trampoline runs on Linux and macOS only.");
            return ExitCodes.SandboxFailed;
        }

        return SandboxExec.RunStage2(descriptor);
    }
}
