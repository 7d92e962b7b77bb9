namespace Nono.Interop;

/// <summary>The C library of macOS by its absolute path, so that the Seatbelt launcher never looks a
/// library up by name (DYLD_* variables and fallback directories cannot substitute it).</summary>
internal static partial class Posix
{
    internal const string Library = "/usr/lib/libSystem.dylib";
}
