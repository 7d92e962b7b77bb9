namespace Nono.EndToEnd.Tests;

/// <summary>Assertions on the probe's one-line verdict ("ok" or "denied ERRNO text").</summary>
internal static class ProbeAssert
{
    public const int EPERM = 1;
    public const int EACCES = 13;

    public static void Allowed(RunResult result)
    {
        Assert.True(result.ExitCode == 0 && result.Stdout == "ok", $"expected the operation to succeed\n{result}");
    }

    public static void Denied(RunResult result, params int[] errnos)
    {
        Assert.True(result.ExitCode == 1 && result.Stdout.StartsWith("denied ", StringComparison.Ordinal), $"expected the operation to be refused\n{result}");
        if (errnos.Length > 0)
        {
            var errno = int.Parse(result.Stdout.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(errnos.Contains(errno), $"expected errno {string.Join(" or ", errnos)}\n{result}");
        }
    }
}
