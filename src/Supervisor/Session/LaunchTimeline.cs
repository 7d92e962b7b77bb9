using System.Diagnostics;
using System.Globalization;

namespace Nono.Supervisor.Session;

/// <summary>
/// How long each step before the program starts took, printed with --verbose once it runs
/// ("nono: debug: launch: resolve 9.1 ms, ..."). Launch time is a feature; this is how a user (or
/// whoever changes the launch path) sees where it goes without a profiler.
/// </summary>
internal sealed class LaunchTimeline
{
    private readonly List<(string Step, TimeSpan Took)> _steps = [];
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _last;

    public LaunchTimeline() => _last = _started;

    /// <summary>Ends the step <paramref name="step"/>, which began where the previous one ended.</summary>
    public void Done(string step)
    {
        var now = Stopwatch.GetTimestamp();
        _steps.Add((step, Stopwatch.GetElapsedTime(_last, now)));
        _last = now;
    }

    public string Describe() =>
        "launch: " + string.Join(", ", _steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Step} {s.Took.TotalMilliseconds:F1} ms")))
        + string.Create(CultureInfo.InvariantCulture, $" (total {Stopwatch.GetElapsedTime(_started).TotalMilliseconds:F1} ms in the supervisor)");
}
