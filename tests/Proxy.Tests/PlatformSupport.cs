using System.Runtime.Versioning;

// nono runs on Linux and macOS only; Windows has no equivalent of the sandbox it builds on.
[assembly: SupportedOSPlatform("linux")]
[assembly: SupportedOSPlatform("macos")]
