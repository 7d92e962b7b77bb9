using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Nono.Sandbox.MacOS;

/// <summary>Whether Seatbelt, the macOS sandbox, can be used by this process.</summary>
public static class SeatbeltPlatform
{
    /// <summary>True on macOS, the only system with Seatbelt.</summary>
    [SupportedOSPlatformGuard("macos")]
    public static bool IsSupported => OperatingSystem.IsMacOS();

    /// <summary>Throws unless this is macOS.</summary>
    /// <exception cref="SandboxUnavailableException">This is not macOS.</exception>
    public static void EnsureSupported()
    {
        if (!IsSupported)
        {
            ThrowUnsupported();
        }
    }

    [DoesNotReturn]
    internal static void ThrowUnsupported() => throw new SandboxUnavailableException(
        $"The macOS sandbox (Seatbelt) was asked for, but this system is {RuntimeInformation.OSDescription}. " +
        "On Linux nono confines programs with Landlock and seccomp instead; this is a bug in how the platform was chosen.");
}
