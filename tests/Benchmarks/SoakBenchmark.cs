using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Qcdc.Benchmarks;

/// <summary>
/// Sixteen clients for five minutes of mixed work (drafts, partial updates, reads, lists, submissions, rollup reads)
/// against the app on Kestrel and Azurite: requests, errors, p50/p99, and the process's memory at start, along the
/// way and at the end (it must level off, not grow without bound).
/// </summary>
public static class SoakBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var seconds = Stats.Option(args, "--seconds", 300);
        var clients = Stats.Option(args, "--clients", 16);
        const int UnitsPerClient = 20;
        await using var app = await BenchmarkApp.StartAsync(new DateTimeOffset(2024, 9, 10, 3, 0, 0, TimeSpan.Zero), cancellationToken);
        using var http = app.CreateAdminHttpClient(clients);

        var units = Enumerable.Range(0, clients * UnitsPerClient).Select(i => $"SK-{i.ToString("D4", CultureInfo.InvariantCulture)}").ToList();
        var file = new
        {
            units = new object[] { new { code = "SK", name = "Tỉnh thử tải", kind = "province", validFrom = "2008-01-01" } }
            .Concat(units.Select(u => (object)new { code = u, name = $"Xã {u}", kind = "commune", validFrom = "2008-01-01", parent = "SK" })).ToArray()
        };
        (await http.PostAsync("/api/manage/units", BenchmarkApp.Json(JsonSerializer.Serialize(file)), cancellationToken)).EnsureSuccessStatusCode();

        Console.WriteLine($"Warming up, then {clients} clients for {seconds} s…");
        await RoundAsync(http, units[0], new Dictionary<string, string>(), new Random(0), cancellationToken);
        ForceCollect();
        var startMb = WorkingSetMb();
        var startHeapMb = GC.GetTotalMemory(true) / 1048576.0;
        var latencies = new ConcurrentBag<double>();
        var statuses = new ConcurrentDictionary<int, int>();
        var samples = new ConcurrentQueue<(double At, double Mb)>();
        var stopAt = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(seconds);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                samples.Enqueue((stopAt.Elapsed.TotalSeconds, WorkingSetMb()));
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, seconds / 10)), sampling.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }, cancellationToken);

        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(client);
            var etags = new Dictionary<string, string>();
            var mine = units.Skip(client * UnitsPerClient).Take(UnitsPerClient).ToList();
            while (stopAt.Elapsed < duration)
            {
                var unit = mine[random.Next(mine.Count)];
                foreach (var (status, ms) in await RoundAsync(http, unit, etags, random, cancellationToken))
                {
                    latencies.Add(ms);
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                }
            }
        }, cancellationToken)));
        await sampling.CancelAsync();
        await sampler;
        var endMb = WorkingSetMb();
        ForceCollect();
        var endHeapMb = GC.GetTotalMemory(true) / 1048576.0;
        var endAfterCollectMb = WorkingSetMb();

        var sorted = latencies.Order().ToArray();
        var requests = sorted.Length;
        var errors = statuses.Where(s => s.Key >= 500).Sum(s => s.Value);
        var refusals = statuses.Where(s => s.Key is >= 400 and < 500).Sum(s => s.Value);
        Console.WriteLine();
        Console.WriteLine($"requests {requests} ({requests / duration.TotalSeconds:F0}/s), 5xx {errors}, 4xx {refusals} ({string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))})");
        Console.WriteLine($"p50 {Stats.Percentile(sorted, 0.5):F1} ms, p99 {Stats.Percentile(sorted, 0.99):F1} ms");
        Console.WriteLine($"working set: start {startMb:F0} MB, end {endMb:F0} MB, after a full collection {endAfterCollectMb:F0} MB; managed heap {startHeapMb:F0} → {endHeapMb:F0} MB");
        Console.WriteLine("working set along the way: " + string.Join(", ", samples.Select(s => $"{s.At:F0}s {s.Mb:F0} MB")));
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            benchmark = "soak",
            seconds,
            clients,
            requests,
            errors,
            refusals,
            p50Ms = Math.Round(Stats.Percentile(sorted, 0.5), 2),
            p99Ms = Math.Round(Stats.Percentile(sorted, 0.99), 2),
            startMb = Math.Round(startMb, 1),
            endMb = Math.Round(endMb, 1),
            endAfterCollectionMb = Math.Round(endAfterCollectMb, 1),
            heapStartMb = Math.Round(startHeapMb, 1),
            heapEndMb = Math.Round(endHeapMb, 1),
        }));
        return errors == 0 ? 0 : 1;
    }

    /// <summary>One round of a clerk's and a reviewer's work on one unit: answers (status, milliseconds) of each request.</summary>
    private static async Task<List<(int Status, double Ms)>> RoundAsync(
        HttpClient http, string unit, Dictionary<string, string> etags, Random random, CancellationToken cancellationToken)
    {
        var url = $"/api/submissions/QCDC-Q/2024Q3/{unit}";
        var results = new List<(int, double)>();
        async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await http.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            results.Add(((int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            return response;
        }
        var docs = random.Next(1, 30);
        var write = etags.TryGetValue(unit, out var etag)
            ? new HttpRequestMessage(HttpMethod.Patch, url) { Content = new StringContent($$$"""{"values": {"docs_issued": {{{docs}}}, "receptions": {{{random.Next(5)}}}} }""", System.Text.Encoding.UTF8, "application/merge-patch+json") }
            : new HttpRequestMessage(HttpMethod.Put, url) { Content = BenchmarkApp.Json($$"""{"values": {"docs_issued": {{docs}}, "narrative_results": "Báo cáo thử tải."} }""") };
        if (etag is not null)
        {
            write.Headers.TryAddWithoutValidation("If-Match", etag);
        }
        using (var written = await SendAsync(write))
        {
            if (written.Headers.ETag is { } tag)
            {
                etags[unit] = tag.Tag;
            }
            else if (written.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed)
            {
                etags.Remove(unit);
            }
        }
        using (var read = await SendAsync(new HttpRequestMessage(HttpMethod.Get, url)))
        {
            if (read.Headers.ETag is { } tag)
            {
                etags[unit] = tag.Tag;
            }
        }
        (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/submissions/QCDC-Q/2024Q3?under=SK&pageSize=50"))).Dispose();
        (await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/rollups/QCDC-Q/2024Q3/SK"))).Dispose();
        if (random.Next(10) == 0)
        {
            using var submitted = await SendAsync(new HttpRequestMessage(HttpMethod.Post, url + "/submit"));
            if (submitted.IsSuccessStatusCode)
            {
                // A reviewer sends it back, so that the clerk can go on writing.
                (await SendAsync(new HttpRequestMessage(HttpMethod.Post, url + "/return") { Content = BenchmarkApp.Json("""{"reason": "Kiểm tra lại"}""") })).Dispose();
            }
            etags.Remove(unit);
        }
        return results;
    }

    private static double WorkingSetMb()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1048576.0;
    }

    private static void ForceCollect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }
}
