namespace Nono.Sandbox;

/// <summary>The program the sandbox finally executes, the same on every platform.</summary>
/// <param name="Executable">Absolute path of the program (already looked up in PATH).</param>
/// <param name="Arguments">The full argv, argv[0] included.</param>
/// <param name="Environment">The child's environment as NAME=value strings, exactly as it will see it.</param>
/// <param name="WorkingDirectory">The child's working directory.</param>
public sealed record LaunchTarget(
    string Executable,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<string> Environment,
    string WorkingDirectory);
