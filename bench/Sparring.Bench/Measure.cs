using System.Diagnostics;
using System.Globalization;

namespace Sparring.Bench;

/// <summary>
/// Times a subject against a baseline in the same process, alternating them so machine noise hits both
/// alike, and reports medians and their ratio. Warm-up runs are discarded.
/// </summary>
internal static class Measure
{
    public static async Task<Comparison> CompareAsync(string name, Func<Task> baseline, Func<Task> subject, int iterations, int warmup = 5)
    {
        for (var i = 0; i < warmup; i++)
        {
            await baseline();
            await subject();
        }

        var baseTimes = new List<double>(iterations);
        var subjectTimes = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            baseTimes.Add(await TimeAsync(baseline));
            subjectTimes.Add(await TimeAsync(subject));
        }

        return new Comparison(name, Median(baseTimes), Median(subjectTimes), Percentile(subjectTimes, 0.9), iterations);
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }
}

internal sealed record Comparison(string Name, double BaselineMedianMs, double SubjectMedianMs, double SubjectP90Ms, int Iterations)
{
    public double Ratio => SubjectMedianMs / BaselineMedianMs;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-46} baseline {BaselineMedianMs,8:0.00} ms  subject {SubjectMedianMs,8:0.00} ms (p90 {SubjectP90Ms,7:0.00})  ratio {Ratio,7:0.000}x  n={Iterations}");
}
