using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Storage;
using Qcdc.Submissions;

namespace Qcdc.Benchmarks;

/// <summary>
/// Submissions of QCDC-Q through the HTTP API by concurrent clients, against the same entities written with bare
/// <c>UpsertEntityAsync</c> and as the store's own entity-group transaction on the same Azurite in the same run
/// (target: the API at ≥ 0.9 × the transaction).
/// </summary>
public static class IngestBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var submissions = Stats.Option(args, "--submissions", 20_000);
        var clients = Stats.Option(args, "--clients", 16);
        await using var app = await BenchmarkApp.StartAsync(new DateTimeOffset(2024, 9, 10, 3, 0, 0, TimeSpan.Zero), cancellationToken);
        using var http = app.CreateAdminHttpClient(clients);

        Console.WriteLine($"Importing {submissions} synthetic communes…");
        await ImportUnitsAsync(http, submissions, cancellationToken);

        var body = JsonSerializer.Serialize(new { values = SampleValues() });
        Console.WriteLine($"Warming up, then {submissions} PUTs through the API with {clients} clients…");
        await PutAsync(http, "WARM-0", body, cancellationToken);
        var (apiLatencies, apiElapsed) = await Stats.RunConcurrentlyAsync(submissions, clients,
            (i, ct) => PutAsync(http, Unit(i), body, ct), cancellationToken);

        Console.WriteLine($"The same {submissions} entities with bare UpsertEntityAsync, {clients} at once…");
        var tables = new TableServiceClient(app.Azurite.ConnectionString);
        var table = tables.GetTableClient(new StorageNames(app.Prefix).Table(StorageNames.SubmissionsTable));
        var values = SampleValues();
        var (bareLatencies, bareElapsed) = await Stats.RunConcurrentlyAsync(submissions, clients, async (i, ct) =>
        {
            var entity = SubmissionStore.ToCurrentEntity(new Submission(new SubmissionKey("QCDC-Q", "bare", Unit(i)),
                SubmissionStatus.Draft, 1, 1, values, DateTimeOffset.UtcNow, Author));
            await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
        }, cancellationToken);

        Console.WriteLine($"And the same writes as the API makes them: the store's own transaction of current state, revision and change mark…");
        var store = app.Services.GetRequiredService<SubmissionStore>();
        var (batchLatencies, batchElapsed) = await Stats.RunConcurrentlyAsync(submissions, clients, async (i, ct) =>
        {
            var submission = new Submission(new SubmissionKey("QCDC-Q", "batch", Unit(i)), SubmissionStatus.Draft, 1, 1, values, DateTimeOffset.UtcNow, Author);
            var revision = new SubmissionRevision(1, SubmissionAction.Created, SubmissionStatus.Draft, submission.UpdatedAt, Author, false, [], null, 1, values);
            await store.CommitAsync(submission, null, revision, null, ct);
        }, cancellationToken);
        var batchRate = submissions / batchElapsed.TotalSeconds;

        var apiRate = submissions / apiElapsed.TotalSeconds;
        var bareRate = submissions / bareElapsed.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine($"API : {apiRate,8:F0} submissions/s  p50 {Stats.Percentile(apiLatencies, 0.50):F1} ms  p95 {Stats.Percentile(apiLatencies, 0.95):F1} ms  p99 {Stats.Percentile(apiLatencies, 0.99):F1} ms");
        Console.WriteLine($"bare: {bareRate,8:F0} upserts/s      p50 {Stats.Percentile(bareLatencies, 0.50):F1} ms  p95 {Stats.Percentile(bareLatencies, 0.95):F1} ms  p99 {Stats.Percentile(bareLatencies, 0.99):F1} ms");
        Console.WriteLine($"txn : {batchRate,8:F0} transactions/s p50 {Stats.Percentile(batchLatencies, 0.50):F1} ms (the API's own storage work, without HTTP)");
        Console.WriteLine($"ratio API/transaction: {apiRate / batchRate:F2} (target ≥ 0.90); API/bare upsert of the state alone: {apiRate / bareRate:F2}");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            benchmark = "ingest",
            submissions,
            clients,
            apiPerSecond = Math.Round(apiRate, 1),
            barePerSecond = Math.Round(bareRate, 1),
            apiToBareUpsertRatio = Math.Round(apiRate / bareRate, 3),
            p50Ms = Math.Round(Stats.Percentile(apiLatencies, 0.50), 2),
            p95Ms = Math.Round(Stats.Percentile(apiLatencies, 0.95), 2),
            p99Ms = Math.Round(Stats.Percentile(apiLatencies, 0.99), 2),
            bareP50Ms = Math.Round(Stats.Percentile(bareLatencies, 0.50), 2),
            transactionPerSecond = Math.Round(batchRate, 1),
            apiToTransactionRatio = Math.Round(apiRate / batchRate, 3),
            storageCallsPerSubmission = 1,
        }));
        return 0;
    }

    internal static readonly Author Author = new("benchmark", "Benchmark");

    internal static string Unit(int i) => $"BM-{i.ToString("D6", CultureInfo.InvariantCulture)}";

    private static async Task PutAsync(HttpClient http, string unit, string body, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsync($"/api/submissions/QCDC-Q/2024Q3/{unit}", BenchmarkApp.Json(body), cancellationToken);
        if ((int)response.StatusCode != 201)
        {
            throw new InvalidOperationException($"PUT {unit}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    internal static async Task ImportUnitsAsync(HttpClient http, int count, CancellationToken cancellationToken)
    {
        var units = new List<object> { new { code = "BM", name = "Tỉnh thử nghiệm", kind = "province", validFrom = "2008-01-01" } };
        units.Add(new { code = "WARM-0", name = "Xã khởi động", kind = "commune", validFrom = "2008-01-01", parent = "BM" });
        units.AddRange(Enumerable.Range(0, count).Select(i => (object)new { code = Unit(i), name = $"Xã {i}", kind = "commune", validFrom = "2008-01-01", parent = "BM" }));
        foreach (var batch in units.Chunk(5000))
        {
            using var response = await http.PostAsync("/api/manage/units", BenchmarkApp.Json(JsonSerializer.Serialize(new { units = batch })), cancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }

    internal static JsonObject SampleValues() => new()
    {
        ["docs_issued"] = 12,
        ["cadres_briefed"] = new JsonObject { ["numerator"] = 989, ["denominator"] = 1000 },
        ["receptions"] = 4,
        ["dialogues"] = new JsonObject { ["district"] = 0, ["commune"] = 3 },
        ["complaints_received"] = 5,
        ["complaints_resolved"] = 4,
        ["land_households"] = 37,
        ["land_area"] = 2237.5,
        ["donation_value"] = 206_000_000,
        ["trees_donated"] = 120,
        ["workdays"] = 1320,
        ["resources_mobilised"] = 3_402_000_000,
        ["models_built"] = new JsonObject { ["large"] = 0, ["medium"] = 1, ["small"] = 3 },
        ["dvk_models"] = new JsonObject { ["district"] = 0, ["grassroots"] = 1 }, // a commune is not asked the provincial level
        ["ntm_communes"] = new JsonObject { ["numerator"] = 1, ["denominator"] = 1 },
        ["ntm_advanced"] = 0,
        ["model_villages"] = new JsonObject { ["numerator"] = 5, ["denominator"] = 8 },
        ["ocop_products"] = 1,
        ["income_per_capita"] = 40_800_000,
        ["awards_collective"] = 1,
        ["awards_individual"] = 2,
        ["narrative_results"] = string.Concat(Enumerable.Repeat("Cấp ủy, chính quyền tiếp tục quán triệt, triển khai thực hiện Quy chế dân chủ ở cơ sở. ", 6)),
    };

}
