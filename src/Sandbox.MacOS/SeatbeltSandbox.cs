using System.Runtime.InteropServices;
using Nono.Sandbox.MacOS.Native;
using Nono.Sandbox.MacOS.Profile;

namespace Nono.Sandbox.MacOS;

/// <summary>
/// Confines a process on macOS with Seatbelt. The stage-2 trampoline calls
/// <see cref="ApplyToCurrentProcess"/> as its last step before execve: the sandbox covers the whole
/// process, survives execve and is inherited by every child, and cannot be lifted.
/// </summary>
public static class SeatbeltSandbox
{
    /// <summary>
    /// The SBPL profile that enforces <paramref name="policy"/>. Pure text generation: works on any
    /// system, so it also serves --dry-run and tests.
    /// </summary>
    /// <exception cref="PolicyException">The policy is invalid, contradicts itself (a grant inside a
    /// denied or sensitive path), or names a path no profile can express (control characters).</exception>
    public static string GenerateProfile(SandboxPolicy policy, SeatbeltContext context) =>
        ProfileGenerator.Generate(policy, context);

    /// <summary>
    /// Generates the profile for <paramref name="policy"/> and applies it to this process. Call it
    /// immediately before execve, with everything execve needs already prepared: from here on the
    /// process can touch only what the policy allows.
    /// </summary>
    /// <exception cref="SandboxUnavailableException">This is not macOS, or the kernel refused the profile.</exception>
    /// <exception cref="PolicyException">As for <see cref="GenerateProfile"/>.</exception>
    public static void ApplyToCurrentProcess(SandboxPolicy policy, SeatbeltContext context)
    {
        if (!SeatbeltPlatform.IsSupported)
        {
            SeatbeltPlatform.ThrowUnsupported();
            return;
        }

        ApplyProfile(GenerateProfile(policy, context));
    }

    /// <summary>Applies SBPL text to this process with sandbox_init(3).</summary>
    /// <exception cref="SandboxUnavailableException">This is not macOS, or sandbox_init refused the
    /// profile (the message carries its error text).</exception>
    public static void ApplyProfile(string profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!SeatbeltPlatform.IsSupported)
        {
            SeatbeltPlatform.ThrowUnsupported();
            return;
        }

        if (profile.Contains('\0', StringComparison.Ordinal))
        {
            // The C string would end early and the kernel would enforce a truncated profile.
            throw new SandboxUnavailableException("The sandbox profile contains a NUL character; refusing to apply a truncated profile.");
        }

        var result = SandboxInterop.SandboxInit(profile, SandboxInterop.ProfileIsText, out var errorbuf);
        if (result == 0)
        {
            return;
        }

        var error = "no error text";
        if (errorbuf != 0)
        {
            error = Marshal.PtrToStringUTF8(errorbuf) ?? error;
            SandboxInterop.SandboxFreeError(errorbuf);
        }

        throw new SandboxUnavailableException(
            $"macOS refused the sandbox profile (sandbox_init returned {result}): {error.Trim()}. " +
            "nono will not run the program unconfined. If this process is already inside a sandbox, run nono outside it.");
    }
}
