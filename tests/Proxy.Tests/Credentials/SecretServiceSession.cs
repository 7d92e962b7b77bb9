using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using Nono.Proxy.Credentials;

namespace Nono.Proxy.Tests.Credentials;

/// <summary>
/// A private, real freedesktop Secret Service for tests: its own D-Bus session bus (no service
/// activation, so nothing else answers) and a GNOME Keyring daemon whose login keyring is created and
/// unlocked with a password on stdin, all under a scratch HOME that is deleted afterwards.
/// </summary>
public sealed class SecretServiceSession : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private Process? _bus;
    private Process? _keyring;

    public string BusAddress { get; private set; } = "";

    /// <summary>Options that point secret-tool at this session's bus.</summary>
    internal CredentialLoaderOptions Options => new()
    {
        HelperEnvironment = new Dictionary<string, string?> { ["DBUS_SESSION_BUS_ADDRESS"] = BusAddress },
    };

    public async ValueTask InitializeAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        foreach (var tool in new[] { "dbus-daemon", "gnome-keyring-daemon", "secret-tool" })
        {
            if (!ExecutableLocator.TryFind(tool, Environment.GetEnvironmentVariable("PATH") ?? "", out _))
            {
                throw new InvalidOperationException($"{tool} is missing: run build/deps.sh (it installs dbus-daemon, gnome-keyring and libsecret-tools).");
            }
        }

        var home = Directory.CreateDirectory(_dir.Combine("home")).FullName;
        var runtime = Directory.CreateDirectory(_dir.Combine("run")).FullName;
        var services = Directory.CreateDirectory(_dir.Combine("no-services")).FullName;
        var config = _dir.WriteFile("bus.conf", $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>session</type>
              <listen>unix:path={runtime}/bus</listen>
              <auth>EXTERNAL</auth>
              <servicedir>{services}</servicedir>
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
              </policy>
            </busconfig>
            """);

        _bus = Start("dbus-daemon", [$"--config-file={config}", "--nofork", "--print-address=1"], null);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        BusAddress = await _bus.StandardOutput.ReadLineAsync(wait.Token) ?? throw new InvalidOperationException("dbus-daemon printed no address.");

        _keyring = Start("gnome-keyring-daemon", ["--foreground", "--unlock", "--components=secrets"], new()
        {
            ["HOME"] = home,
            ["XDG_RUNTIME_DIR"] = runtime,
            ["XDG_DATA_HOME"] = Path.Combine(home, ".local/share"),
            ["XDG_CONFIG_HOME"] = Path.Combine(home, ".config"),
            ["XDG_CACHE_HOME"] = Path.Combine(home, ".cache"),
            ["DBUS_SESSION_BUS_ADDRESS"] = BusAddress,
        });
        await _keyring.StandardInput.WriteAsync("test-keyring-password");
        _keyring.StandardInput.Close();
        _keyring.BeginOutputReadLine();

        await WaitUntilServingAsync(wait.Token);
    }

    /// <summary>Stores a secret the way a user would, with secret-tool store.</summary>
    public async Task StoreAsync(string service, string account, string secret, CancellationToken ct)
    {
        var result = await Cli.Wrap("secret-tool")
            .WithArguments(["store", $"--label=nono test {service}/{account}", "service", service, "account", account])
            .WithEnvironmentVariables(env => env.Set("DBUS_SESSION_BUS_ADDRESS", BusAddress))
            .WithStandardInputPipe(PipeSource.FromString(secret))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(ct);
        Assert.True(result.ExitCode == 0, $"secret-tool store failed: {result.StandardError}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in new[] { _keyring, _bus })
        {
            if (process is null)
            {
                continue;
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        _dir.Dispose();
    }

    /// <summary>Until the daemon owns its bus name, lookups fail with an error; afterwards a missing item is a silent exit 1.</summary>
    private async Task WaitUntilServingAsync(CancellationToken ct)
    {
        string lastError = "";
        while (!ct.IsCancellationRequested)
        {
            var probe = await Cli.Wrap("secret-tool")
                .WithArguments(["lookup", "service", "nono-probe", "account", "probe"])
                .WithEnvironmentVariables(env => env.Set("DBUS_SESSION_BUS_ADDRESS", BusAddress))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(ct);
            if (probe.ExitCode == 1 && probe.StandardError.Length == 0)
            {
                return;
            }

            lastError = probe.StandardError;
            await Task.Delay(100, ct);
        }

        throw new InvalidOperationException($"gnome-keyring-daemon did not start serving: {lastError}");
    }

    private static Process Start(string program, string[] arguments, Dictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
    }
}
