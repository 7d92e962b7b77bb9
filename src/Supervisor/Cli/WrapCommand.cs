using System.CommandLine;
using System.Globalization;
using Nono.Sandbox;
using Nono.Sandbox.Linux;
using Nono.Sandbox.Linux.Launch;
using Nono.Sandbox.Linux.Policy;
using Nono.Supervisor.Profiles;

using Nono.Supervisor.Session;

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
        var command = CommandArgument.Create();
        var profile = new Option<string>(FlagNames.Profile) { Description = "Profile name or path (default: none, only the grants given as flags)", HelpName = "name|path" };
        var allowEnv = new Option<string[]>(FlagNames.AllowVar)
        {
            Description = "Pass this variable through although nono strips it by default (code-injecting variables such as LD_PRELOAD, agent sockets such as SSH_AUTH_SOCK, and names that conventionally hold secrets: *_KEY, *_TOKEN, *_SECRET, *PASSWORD...)",
            HelpName = "name",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };

        var wrap = new Command("wrap", "Run a command in the sandbox, replacing nono (nothing stays behind)");
        flags.AddTo(wrap);
        wrap.Options.Add(profile);
        wrap.Options.Add(allowEnv);
        wrap.Arguments.Add(command);
        wrap.SetAction(result => CommandArgument.Validate(result, command, "wrap") is { } argv
            ? Run(
                flags.ToWrapOptions(result, argv) with { AllowEnv = result.GetValue(allowEnv) ?? [], Profile = result.GetValue(profile) },
                result.GetValue(flags.DryRun),
                result.GetValue(flags.Verbose))
            : ExitCodes.Usage);
        return wrap;
    }

    /// <summary>The flags and profile through the resolver every command shares.</summary>
    internal static SessionSettings Resolve(WrapOptions options, HostEnvironment host) =>
        WrapPolicyBuilder.WithoutProxy(SessionResolver.Resolve(host, options.ToSessionFlags(host.WorkDir), defaultProfile: null));

    private static int Run(WrapOptions options, bool dryRun, bool verbose)
    {
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
        LinuxLaunchPlan plan;
        LaunchTarget target;
        WrapEnvironment environment;
        SessionSettings settings;
        try
        {
            var host = HostEnvironment.FromProcess(workingDirectory);
            settings = Resolve(options, host);
            var privateTemp = dryRun ? PrivateTemp.PathFor(CurrentUid()) : PrivateTemp.Ensure();
            var homes = host.SensitiveHomes();
            var policy = SessionPolicy.KeepPlantedCommandsReadOnly(
                WrapPolicyBuilder.Build(settings, LinuxSystemPolicy.BaseGrants(privateTemp), homes), homes);
            plan = LinuxLaunchPlan.Create(policy);
            var executable = CommandResolver.Resolve(options.Command[0], workingDirectory, Environment.GetEnvironmentVariable("PATH"));
            if (executable is null)
            {
                Console.Error.WriteLine($"nono: {options.Command[0]}: command not found");
                return ExitCodes.CannotExecute;
            }

            environment = WrapEnvironment.Build(host.Variables, options.AllowEnv, privateTemp, hostNetwork: settings.NetworkMode == NetworkMode.Host, settings.Environment);
            target = new LaunchTarget(executable, options.Command, [.. environment.Entries], workingDirectory);
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
        catch (SandboxUnavailableException error)
        {
            Console.Error.WriteLine($"nono: cannot sandbox: {error.Message}");
            return ExitCodes.SandboxFailed;
        }

        foreach (var notice in settings.Notices)
        {
            Console.Error.WriteLine($"nono: note: {notice}");
        }

        foreach (var skipped in verbose ? settings.SkippedPaths : [])
        {
            Console.Error.WriteLine($"nono: debug: {skipped}");
        }

        if (dryRun)
        {
            PrintPlan(plan, target, environment);
            return 0;
        }

        foreach (var warning in plan.Warnings)
        {
            Console.Error.WriteLine($"nono: {warning}");
        }

        if (verbose)
        {
            foreach (var note in plan.Notes.Append(environment.DescribeWithheld()).OfType<string>())
            {
                Console.Error.WriteLine($"nono: debug: {note}");
            }
        }

        Console.Error.Flush();
        return SandboxExec.ExecInPlace(plan, target, verbose);
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static void PrintPlan(LinuxLaunchPlan plan, LaunchTarget target, WrapEnvironment environment)
    {
        Console.Out.WriteLine($"command: {target.Executable} {string.Join(' ', target.Arguments.Skip(1))}".TrimEnd());
        Console.Out.WriteLine($"working directory: {target.WorkingDirectory}");
        foreach (var line in plan.Describe())
        {
            Console.Out.WriteLine(line);
        }

        Console.Out.WriteLine($"temporary directory: {target.Environment.First(entry => entry.StartsWith("TMPDIR=", StringComparison.Ordinal))[7..]} (TMPDIR; the host's /tmp is not granted)");
        Console.Out.WriteLine($"environment: {environment.Entries.Count} variable(s); {environment.DescribeWithheld() ?? "nothing withheld"}");
    }

    private static uint CurrentUid() =>
        uint.TryParse(
            File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2],
            NumberStyles.None,
            CultureInfo.InvariantCulture,
            out var uid) ? uid : 0;
}
