using System.CommandLine;
using System.Globalization;
using Nono.Sandbox;
using Nono.Sandbox.Linux;
using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Policy;

namespace Nono.Supervisor.Cli;

/// <summary>
/// `nono wrap [flags] -- CMD ARGS...`: applies the sandbox and executes the command in place of
/// nono (through unshare when namespaces are needed). Nothing stays behind, so the shell sees the
/// command's own exit status and signals.
/// </summary>
internal static partial class WrapCommand
{
    public static Command Create()
    {
        var flags = new SandboxFlags();
        var command = new Argument<string[]>("command")
        {
            Description = "The command to run and its arguments (after --)",
            Arity = ArgumentArity.OneOrMore,
        };

        var wrap = new Command("wrap", "Run a command in the sandbox, replacing nono (nothing stays behind)");
        flags.AddTo(wrap);
        wrap.Arguments.Add(command);
        wrap.SetAction(result => Run(
            flags.ToWrapOptions(result, result.GetValue(command) ?? []),
            result.GetValue(flags.DryRun),
            result.GetValue(flags.Verbose)));
        return wrap;
    }

    private static int Run(WrapOptions options, bool dryRun, bool verbose)
    {
        if (options.Command.Count == 0 || options.Command[0].StartsWith('-'))
        {
            // An unknown flag lands in the command argument; no program name starts with '-'.
            Console.Error.WriteLine(options.Command.Count == 0
                ? "nono: wrap needs a command: nono wrap [flags] -- CMD ARGS..."
                : $"nono: unknown option '{options.Command[0]}' (put the command after --)");
            return ExitCodes.Usage;
        }

        if (OperatingSystem.IsMacOS())
        {
            return RunOnMacOS(options, dryRun);
        }

        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("nono: wrap runs on Linux and macOS only.");
            return ExitCodes.SandboxFailed;
        }

        var workingDirectory = Environment.CurrentDirectory;
        var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } value ? value : "/root";
        LinuxLaunchPlan plan;
        LaunchTarget target;
        try
        {
            var privateTemp = dryRun ? PrivateTemp.PathFor(CurrentUid()) : PrivateTemp.Ensure();
            var policy = WrapPolicyBuilder.Build(options, LinuxSystemPolicy.BaseGrants(privateTemp), workingDirectory, PathUtil.Normalize(home, "/"));
            plan = LinuxLaunchPlan.Create(policy);
            var executable = CommandResolver.Resolve(options.Command[0], workingDirectory, Environment.GetEnvironmentVariable("PATH"));
            if (executable is null)
            {
                Console.Error.WriteLine($"nono: {options.Command[0]}: command not found");
                return ExitCodes.CannotExecute;
            }

            target = new LaunchTarget(executable, options.Command, ChildEnvironment(privateTemp), workingDirectory);
        }
        catch (PolicyException error)
        {
            Console.Error.WriteLine($"nono: {error.Message}");
            return ExitCodes.Usage;
        }
        catch (SandboxUnavailableException error)
        {
            Console.Error.WriteLine($"nono: cannot sandbox: {error.Message}");
            return ExitCodes.SandboxFailed;
        }

        if (dryRun)
        {
            PrintPlan(plan, target);
            return 0;
        }

        foreach (var warning in plan.Warnings)
        {
            Console.Error.WriteLine($"nono: {warning}");
        }

        if (verbose)
        {
            foreach (var note in plan.Notes)
            {
                Console.Error.WriteLine($"nono: debug: {note}");
            }
        }

        Console.Error.Flush();
        return SandboxExec.ExecInPlace(plan, target, verbose);
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static void PrintPlan(LinuxLaunchPlan plan, LaunchTarget target)
    {
        Console.Out.WriteLine($"command: {target.Executable} {string.Join(' ', target.Arguments.Skip(1))}".TrimEnd());
        Console.Out.WriteLine($"working directory: {target.WorkingDirectory}");
        foreach (var line in plan.Describe())
        {
            Console.Out.WriteLine(line);
        }

        Console.Out.WriteLine($"temporary directory: {target.Environment.First(entry => entry.StartsWith("TMPDIR=", StringComparison.Ordinal))[7..]} (TMPDIR; the host's /tmp is not granted)");
    }

    /// <summary>The command's environment: nono's own, with TMPDIR pointing at the private temp directory.</summary>
    private static string[] ChildEnvironment(string privateTemp)
    {
        var environment = new List<string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (name != "TMPDIR")
            {
                environment.Add($"{name}={entry.Value}");
            }
        }

        environment.Add($"TMPDIR={privateTemp}");
        return environment.ToArray();
    }

    private static uint CurrentUid() =>
        uint.TryParse(
            File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2],
            NumberStyles.None,
            CultureInfo.InvariantCulture,
            out var uid) ? uid : 0;
}
