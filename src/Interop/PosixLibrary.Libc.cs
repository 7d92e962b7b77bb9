namespace Nono.Interop;

/// <summary>The C library as Linux names it. nono links it directly (DirectPInvoke "libc"), so no
/// search path is involved there; on macOS the name resolves to libSystem through the loader.</summary>
internal static partial class Posix
{
    internal const string Library = "libc";
}
