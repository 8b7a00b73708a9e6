using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Qcdc.Development.DevStorage;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;

namespace Qcdc.Tests.Faults;

/// <summary>
/// The operator's drill: real Azurite (data on disk) is frozen while clients write and a rollup runs, thawed, then
/// stopped and started again on the same folder. Clients retry every failure with the same Idempotency-Key, as the
/// API asks. Nothing may be lost or written twice, every failure must be a 503 with Retry-After within the request
/// budget (+1 s), and service must be full afterwards.
/// </summary>
public sealed class FaultDrillTests(AzuriteFixture azurite) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private const int Writers = 6;
    private const int WritesEach = 25;

    private readonly string _data = Directory.CreateTempSubdirectory("qcdc-drill-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private sealed record Answer(string Unit, int Write, int Status, bool RetryAfter, TimeSpan Took);

    [Fact]
    public async Task FreezingKillingAndRestartingStorageLosesAndDuplicatesNothingAndAnswersOnly503Meanwhile()
    {
        var drill = Stopwatch.StartNew();
        var storage = await StartStorageAsync(blobPort: 0, tablePort: 0);
        var (blobPort, tablePort) = (storage.BlobPort, storage.TablePort);
        await using var app = new ReportingApp(azurite, configure: f => f
            .With("Storage:ConnectionString", AzuriteProcess.ConnectionStringFor(blobPort, tablePort))
            .With("Storage:RequestBudget", Budget.ToString())
            .With("Storage:NetworkTimeout", "00:00:01")
            .With("Storage:MaxRetries", "1"));
        var admin = app.Admin;
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/health", Ct)).StatusCode);

        var answers = new ConcurrentQueue<Answer>();
        using var stopRollups = new CancellationTokenSource();
        var rollupStatuses = new ConcurrentQueue<int>();
        var rollups = Task.Run(async () =>
        {
            while (!stopRollups.IsCancellationRequested)
            {
                var run = await admin.PostAsync("/api/manage/rollups/run", HttpJson.Body("""{"form":"QCDC-Q","period":"2024Q3"}"""), CancellationToken.None);
                rollupStatuses.Enqueue((int)run.StatusCode);
                await Task.Delay(300, CancellationToken.None);
            }
        }, Ct);
        var writers = Enumerable.Range(1, Writers).Select(n => Task.Run(() => WriteAllAsync(admin, $"LC-TDG-{n:D2}", answers), Ct)).ToList();

        // Freeze storage mid-stream, thaw it, then stop it and start it again on the same folder.
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        Signal(storage.ProcessId, "STOP");
        await Task.Delay(TimeSpan.FromSeconds(5), Ct);
        Signal(storage.ProcessId, "CONT");
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        // SIGTERM, not SIGKILL: the emulator keeps its data in memory and writes it to its folder on a clean
        // stop; killed outright it loses writes it had acknowledged, which no client could guard against.
        await storage.StopAsync(TimeSpan.FromSeconds(15));
        await storage.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        storage = await StartStorageAsync(blobPort, tablePort);
        try
        {
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(80), Ct);
            await stopRollups.CancelAsync();
            await rollups.WaitAsync(TimeSpan.FromSeconds(30), Ct);

            var failures = answers.Where(a => a.Status is not (200 or 201)).ToList();
            foreach (var odd in failures.Where(f => f.Status != 503).Select(f => f.Unit).Distinct())
            {
                var current = await (await admin.GetAsync($"{ReportingApp.Q3}/{odd}", Ct)).Content.ReadAsStringAsync(Ct);
                var history = await (await admin.GetAsync($"{ReportingApp.Q3}/{odd}/history", Ct)).ReadJsonAsync();
                TestContext.Current.TestOutputHelper?.WriteLine($"{odd}: current {current[..Math.Min(200, current.Length)]}");
                Assert.Fail($"{odd}: {string.Join(", ", answers.Where(x => x.Unit == odd).Select(x => $"w{x.Write}:{x.Status}"))}; history revisions "
                    + string.Join(",", history.GetProperty("revisions").EnumerateArray().Select(r => r.GetProperty("revision").GetInt32() + "=" + r.GetProperty("values").GetProperty("docs_issued").GetInt32()))
                    + "; current " + current[..Math.Min(120, current.Length)]);
            }
            Assert.NotEmpty(failures); // the outage was felt
            Assert.All(failures, f => Assert.True(f.Status == 503 && f.RetryAfter, $"{f.Unit} write {f.Write}: {f.Status}, Retry-After {f.RetryAfter}"));
            var slowest = failures.Max(f => f.Took);
            Assert.True(slowest <= Budget + TimeSpan.FromSeconds(1), $"the slowest failing answer took {slowest}");
            Assert.All(rollupStatuses, s => Assert.Contains(s, new[] { 200, 503 }));

            foreach (var unit in Enumerable.Range(1, Writers).Select(n => $"LC-TDG-{n:D2}"))
            {
                var history = await (await admin.GetAsync($"{ReportingApp.Q3}/{unit}/history", Ct)).ReadJsonAsync();
                var revisions = history.GetProperty("revisions").EnumerateArray().ToList();
                Assert.True(revisions.Count == WritesEach, $"{unit}: {string.Join(", ", answers.Where(x => x.Unit == unit).Select(x => $"w{x.Write}:{x.Status}"))}; history "
                    + string.Join(",", revisions.Select(r => r.GetProperty("revision").GetInt32() + "=" + r.GetProperty("values").GetProperty("docs_issued").GetInt32())));
                Assert.Equal(Enumerable.Range(1, WritesEach), revisions.Select(r => r.GetProperty("revision").GetInt32()));
                Assert.Equal(Enumerable.Range(1, WritesEach), revisions.Select(r => r.GetProperty("values").GetProperty("docs_issued").GetInt32()));
            }
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/health", Ct)).StatusCode);
            // Full service after: a rollup runs (the first calls may still meet connections to the stopped storage).
            var final = await RetryAsync(() => admin.PostAsync("/api/manage/rollups/run", HttpJson.Body("""{"form":"QCDC-Q","period":"2024Q3"}"""), Ct));
            Assert.Equal(HttpStatusCode.OK, final.StatusCode);
            Assert.True(drill.Elapsed < TimeSpan.FromMinutes(2), $"the drill took {drill.Elapsed}");
            var folder = Path.Combine(AzuriteFixture.RepositoryRoot, "TestResults");
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "fault-drill.txt"),
                $"Drill: {answers.Count} answers, {answers.Count(a => a.Status is 200 or 201)} writes accepted, {failures.Count} 503s, slowest failing answer {slowest.TotalMilliseconds:F0} ms, {rollupStatuses.Count} rollup runs ({rollupStatuses.Count(s => s == 503)} answered 503) in {drill.Elapsed.TotalSeconds:F0} s\n", Ct);
        }
        finally
        {
            await storage.DisposeAsync();
        }
    }

    /// <summary>One client's writes to its unit, each retried with its own Idempotency-Key until accepted.</summary>
    private static async Task WriteAllAsync(HttpClient client, string unit, ConcurrentQueue<Answer> answers)
    {
        string? etag = null;
        for (var write = 1; write <= WritesEach; write++)
        {
            while (true)
            {
                var request = ReportingApp.Put($"{ReportingApp.Q3}/{unit}", $$"""{"docs_issued": {{write}}, "narrative_results": "Lần ghi {{write}}"}""",
                    etag, $"drill-{unit}-{write}");
                var clock = Stopwatch.StartNew();
                using var response = await client.SendAsync(request, CancellationToken.None);
                answers.Enqueue(new Answer(unit, write, (int)response.StatusCode, response.Headers.RetryAfter is not null, clock.Elapsed));
                if (response.IsSuccessStatusCode)
                {
                    etag = response.Headers.ETag!.Tag;
                    break;
                }
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    return; // recorded above; the test fails on it
                }
                await Task.Delay(250, CancellationToken.None);
            }
            await Task.Delay(300, CancellationToken.None);
        }
    }

    private static async Task<HttpResponseMessage> RetryAsync(Func<Task<HttpResponseMessage>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await send();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 3)
            {
                return response;
            }
            await Task.Delay(500, Ct);
        }
    }

    private Task<AzuriteProcess> StartStorageAsync(int blobPort, int tablePort) =>
        AzuriteProcess.StartAsync(new AzuriteStartOptions
        {
            RepositoryRoot = AzuriteFixture.RepositoryRoot,
            DataPath = _data,
            BlobPort = blobPort,
            TablePort = tablePort,
        }, Ct);

    private static void Signal(int processId, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}
