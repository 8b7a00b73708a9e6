using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Submissions;

namespace Qcdc.Benchmarks;

/// <summary>
/// Past years in: one CSV of N communes' reports (one row per unit, indicator and category, as the rollup export
/// writes them) imported through the HTTP API, against the bare entity-group transactions of the same reports (the
/// store's own commit, one report after another as the import writes them) in the same run: rows per second of each.
/// </summary>
public static class ImportBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var communes = Stats.Option(args, "--communes", 2_000);
        await using var app = await BenchmarkApp.StartAsync(new DateTimeOffset(2024, 9, 10, 3, 0, 0, TimeSpan.Zero), cancellationToken);
        using var http = app.CreateAdminHttpClient(1);
        Console.WriteLine($"Importing {communes} synthetic communes…");
        await IngestBenchmark.ImportUnitsAsync(http, communes, cancellationToken);

        var values = IngestBenchmark.SampleValues();
        values.Remove("narrative_results");
        var csv = new StringBuilder("unit_code,unit_name,indicator_code,label,category,value,numerator,denominator\r\n");
        var rows = 0;
        for (var i = 0; i < communes; i++)
        {
            foreach (var (code, value) in values)
            {
                rows++;
                switch (value)
                {
                    case JsonObject parts when parts.ContainsKey("numerator"):
                        csv.Append(CultureInfo.InvariantCulture, $"{IngestBenchmark.Unit(i)},Xã,{code},,,,{parts["numerator"]},{parts["denominator"]}\r\n");
                        break;
                    case JsonObject parts:
                        rows += parts.Count - 1;
                        foreach (var (category, number) in parts)
                        {
                            csv.Append(CultureInfo.InvariantCulture, $"{IngestBenchmark.Unit(i)},Xã,{code},,{category},{number},,\r\n");
                        }
                        break;
                    default:
                        csv.Append(CultureInfo.InvariantCulture, $"{IngestBenchmark.Unit(i)},Xã,{code},,,{value!.ToJsonString()},,\r\n");
                        break;
                }
            }
        }
        var file = csv.ToString();

        Console.WriteLine($"Importing {rows} rows ({communes} reports) through POST /api/manage/imports (dry run, then the real run)…");
        var dry = Stopwatch.StartNew();
        await PostAsync(http, file, dryRun: true, cancellationToken);
        dry.Stop();
        var real = Stopwatch.StartNew();
        var written = await PostAsync(http, file, dryRun: false, cancellationToken);
        real.Stop();
        if (written != communes)
        {
            throw new InvalidOperationException($"{written} reports written, {communes} expected");
        }

        Console.WriteLine($"The same {communes} reports as bare entity-group transactions, one after another…");
        var store = app.Services.GetRequiredService<SubmissionStore>();
        var floor = Stopwatch.StartNew();
        for (var i = 0; i < communes; i++)
        {
            var submission = new Submission(new SubmissionKey("QCDC-Q", "floor", IngestBenchmark.Unit(i)), SubmissionStatus.Approved, 1, 1, values,
                DateTimeOffset.UtcNow, IngestBenchmark.Author);
            var revision = new SubmissionRevision(1, SubmissionAction.Imported, SubmissionStatus.Approved, submission.UpdatedAt, IngestBenchmark.Author, false, [], "benchmark", 1, values);
            await store.CommitAsync(submission, null, revision, null, cancellationToken);
        }
        floor.Stop();

        var importRate = rows / real.Elapsed.TotalSeconds;
        var floorRate = rows / floor.Elapsed.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine($"import : {importRate,8:F0} rows/s ({real.Elapsed.TotalSeconds:F1} s; the dry run {dry.Elapsed.TotalSeconds:F1} s)");
        Console.WriteLine($"floor  : {floorRate,8:F0} rows/s ({floor.Elapsed.TotalSeconds:F1} s of bare transactions)");
        Console.WriteLine($"ratio import/floor: {importRate / floorRate:F2}");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            benchmark = "import",
            communes,
            rows,
            importRowsPerSecond = Math.Round(importRate, 1),
            dryRunSeconds = Math.Round(dry.Elapsed.TotalSeconds, 2),
            floorRowsPerSecond = Math.Round(floorRate, 1),
            ratio = Math.Round(importRate / floorRate, 3),
        }));
        return 0;
    }

    private static async Task<int> PostAsync(HttpClient http, string file, bool dryRun, CancellationToken cancellationToken)
    {
        using var content = new StringContent(file, Encoding.UTF8, "text/csv");
        using var response = await http.PostAsync($"/api/manage/imports/QCDC-Q/2024Q3?dryRun={(dryRun ? "true" : "false")}&fileName=benchmark.csv", content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"import: {(int)response.StatusCode} {body[..Math.Min(2000, body.Length)]}");
        }
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.GetProperty("problems").GetArrayLength() > 0)
        {
            throw new InvalidOperationException($"import problems: {json.RootElement.GetProperty("problems")[0]}");
        }
        return json.RootElement.GetProperty("written").GetInt32();
    }
}
