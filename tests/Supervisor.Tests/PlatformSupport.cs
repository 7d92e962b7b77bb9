using System.Runtime.Versioning;

// The supervisor runs on Linux and macOS only, and so do its tests.
[assembly: SupportedOSPlatform("linux")]
[assembly: SupportedOSPlatform("macos")]
