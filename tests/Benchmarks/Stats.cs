namespace Qcdc.Benchmarks;

public static class Stats
{
    /// <summary>The value below which the given share of the sorted samples fall (nearest rank).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double share) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>Runs <paramref name="count"/> operations on <paramref name="workers"/> concurrent workers; returns per-operation milliseconds.</summary>
    public static async Task<(double[] LatenciesMs, TimeSpan Elapsed)> RunConcurrentlyAsync(
        int count, int workers, Func<int, CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        var latencies = new double[count];
        var next = -1;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await operation(i, cancellationToken);
                latencies[i] = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        clock.Stop();
        Array.Sort(latencies);
        return (latencies, clock.Elapsed);
    }

    /// <summary>The integer after <paramref name="name"/> on the command line, or the fallback.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
