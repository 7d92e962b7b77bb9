using System.Runtime.Versioning;
using Nono.Sandbox;
using Nono.Sandbox.MacOS;
using Nono.Sandbox.MacOS.Launch;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Cli;

/// <summary>`nono wrap` on macOS: the same flags and policy, enforced by Seatbelt, which the process
/// applies to itself before executing the command in place (no namespaces, no trampoline needed).</summary>
internal static partial class WrapCommand
{
    [SupportedOSPlatform("macos")]
    private static int RunOnMacOS(WrapOptions options, bool dryRun)
    {
        var workingDirectory = Environment.CurrentDirectory;
        var context = SeatbeltContext.ForCurrentUser();
        try
        {
            // The system baseline is part of the generated profile; the per-user temporary directory
            // (under /var/folders) is the one grant every program expects.
            var temp = PathCanonicalizer.Canonicalize(PathUtil.Normalize(Path.GetTempPath(), "/"));
            var host = HostEnvironment.FromProcess(workingDirectory);
            var settings = Resolve(options, host);
            var policy = WrapPolicyBuilder.Build(settings, [FsGrant.Directory(temp, FsAccess.ReadWrite)], host.SensitiveHomes());
            foreach (var notice in settings.Notices)
            {
                Console.Error.WriteLine($"nono: note: {notice}");
            }
            var profile = SeatbeltSandbox.GenerateProfile(policy, context);
            var executable = CommandResolver.Resolve(options.Command[0], workingDirectory, Environment.GetEnvironmentVariable("PATH"));
            if (executable is null)
            {
                Console.Error.WriteLine($"nono: {options.Command[0]}: command not found");
                return ExitCodes.CannotExecute;
            }

            var environment = WrapEnvironment.Build(host.Variables, options.AllowEnv, temporaryDirectory: null, hostNetwork: settings.NetworkMode == NetworkMode.Host, settings.Environment);
            if (dryRun)
            {
                Console.Out.WriteLine($"command: {executable} {string.Join(' ', options.Command.Skip(1))}".TrimEnd());
                Console.Out.WriteLine($"working directory: {workingDirectory}");
                Console.Out.WriteLine("sandbox: Seatbelt profile applied with sandbox_init before exec:");
                Console.Out.WriteLine(profile);
                Console.Out.WriteLine($"environment: {environment.Entries.Count} variable(s); {environment.DescribeWithheld() ?? "nothing withheld"}");
                return 0;
            }

            Console.Error.Flush();
            return SandboxExec.ExecInPlace(policy, context, executable, options.Command, [.. environment.Entries]);
        }
        catch (ProfileException error)
        {
            Console.Error.WriteLine($"nono: {error.Message}");
            return ExitCodes.Usage;
        }
        catch (PolicyException error)
        {
            Console.Error.WriteLine($"nono: {error.Message}");
            return ExitCodes.Usage;
        }
    }
}
