using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Nono.Sandbox.MacOS.Native;

/// <summary>
/// sandbox_init(3) and sandbox_free_error(3). Deprecated in the SDK headers but still the only way
/// for a process to confine itself with a profile of its own; they live in libsystem_sandbox, which
/// libSystem re-exports.
/// </summary>
[SupportedOSPlatform("macos")]
internal static partial class SandboxInterop
{
    private const string LibSystem = "/usr/lib/libSystem.dylib";

    /// <summary>With flags 0 the profile argument is SBPL text (SANDBOX_NAMED, 1, would name a built-in profile).</summary>
    public const ulong ProfileIsText = 0;

    /// <summary>Returns 0 on success; -1 with <paramref name="errorbuf"/> set to a message to free.</summary>
    [LibraryImport(LibSystem, EntryPoint = "sandbox_init", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SandboxInit(string profile, ulong flags, out nint errorbuf);

    [LibraryImport(LibSystem, EntryPoint = "sandbox_free_error")]
    public static partial void SandboxFreeError(nint errorbuf);
}
