using System.Runtime.Versioning;

// Everything here drives Linux system calls; callers guard with OperatingSystem.IsLinux().
[assembly: SupportedOSPlatform("linux")]
