using System.Globalization;
using System.Runtime.Versioning;
using Nono.Interop;
using Nono.Sandbox.MacOS.Native;

namespace Nono.Sandbox.MacOS.Launch;

/// <summary>
/// Stage 2 was spawned with POSIX_SPAWN_CLOEXEC_DEFAULT, so it holds only 0..2 and its spec pipe;
/// whatever the runtime opened since then is marked close-on-exec here so that execve leaves the
/// target with its three standard descriptors and nothing else. Closing them outright is not safe
/// while the runtime's threads may still use theirs; execve closes them atomically.
/// </summary>
[SupportedOSPlatform("macos")]
internal static class CloseOnExec
{
    public static void MarkAllAboveStandard()
    {
        // The listing itself opens a descriptor on /dev/fd; it is closed before execve anyway.
        foreach (var entry in Directory.EnumerateFileSystemEntries("/dev/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var fd) && fd > 2)
            {
                _ = Posix.IoctlNoArgument(fd, LaunchInterop.FioClex);
            }
        }
    }
}
