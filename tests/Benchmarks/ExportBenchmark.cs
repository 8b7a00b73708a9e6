using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Exports;
using Qcdc.Rollups;

namespace Qcdc.Benchmarks;

/// <summary>
/// The synthetic country's quarterly workbook (≥ 10,000 units × 60 values): how long the export takes, and how much
/// memory it needs above the snapshot it is made from (target ≤ 64 MB, bounded by the streaming writer) — plus the CSV
/// and the report document of the same rollup, and the sizes of all three. Memory is measured two ways: what the
/// export holds (live objects after a full collection every 2,500 reports, in a round of its own, not timed) and the
/// sampled peak of the managed heap during the timed rounds, which also counts garbage not yet collected (ADR-006).
/// </summary>
public static class ExportBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var communes = Stats.Option(args, "--communes", 10_080);
        var rounds = Stats.Option(args, "--rounds", 3);
        await using var app = await BenchmarkApp.StartAsync(new DateTimeOffset(2024, 9, 10, 3, 0, 0, TimeSpan.Zero), cancellationToken);
        var (_, units) = await RollupBenchmark.SeedCountryAsync(app, communes, country: true, cancellationToken);
        var rollups = app.Services.GetRequiredService<RollupService>();
        var source = app.Services.GetRequiredService<ExportSource>();
        var form = RollupBenchmark.FormCode;
        var period = RollupBenchmark.BenchQuarter.Key;
        await rollups.RunAsync(form, RollupBenchmark.BenchQuarter, cancellationToken);

        Console.WriteLine($"Warm-up, then {rounds} rounds of the country's workbook ({units.Count} units)…");
        await WorkbookAsync(source, form, period, cancellationToken);
        var seconds = new List<double>();
        long heapPeak = 0;
        long size = 0;
        for (var round = 0; round < rounds; round++)
        {
            var (elapsed, above, bytes, _) = await WorkbookAsync(source, form, period, cancellationToken);
            seconds.Add(elapsed);
            heapPeak = Math.Max(heapPeak, above);
            size = bytes;
        }
        var (_, _, _, live) = await WorkbookAsync(source, form, period, cancellationToken, checkpoints: true);

        // What a person waits for: the same exports through the HTTP pipeline, downloaded whole.
        using var http = app.CreateAdminHttpClient(1);
        var (workbookHttp, _) = await DownloadAsync(http, $"/api/exports/{form}/{period}/VN.xlsx", cancellationToken);
        var (csvSeconds, csvBytes) = await DownloadAsync(http, $"/api/exports/{form}/{period}/VN.csv", cancellationToken);
        var (docxSeconds, docxBytes) = await DownloadAsync(http, $"/api/reports/{form}/{period}/VN.docx", cancellationToken);

        var median = Stats.Median(seconds);
        Console.WriteLine();
        Console.WriteLine($"workbook of {units.Count} units: {median:F2} s in process (runs {string.Join(", ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))}), "
            + $"{workbookHttp:F2} s over HTTP, {size / 1048576.0:F1} MB");
        Console.WriteLine($"memory above the loaded snapshot: held by the export {live / 1048576.0:F1} MB (target ≤ 64); "
            + $"sampled managed heap peak, garbage included, {heapPeak / 1048576.0:F0} MB");
        Console.WriteLine($"csv {csvSeconds:F2} s, {csvBytes / 1048576.0:F1} MB   report document {docxSeconds:F2} s, {docxBytes / 1024.0:F0} KiB");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            benchmark = "export",
            units = units.Count,
            valuesPerReport = 60,
            workbookSeconds = Math.Round(median, 3),
            workbookHttpSeconds = Math.Round(workbookHttp, 3),
            workbookMb = Math.Round(size / 1048576.0, 2),
            extraMemoryMb = Math.Round(live / 1048576.0, 1),
            extraHeapPeakMb = Math.Round(heapPeak / 1048576.0, 1),
            csvSeconds = Math.Round(csvSeconds, 3),
            csvMb = Math.Round(csvBytes / 1048576.0, 2),
            docxSeconds = Math.Round(docxSeconds, 3),
            docxKiB = Math.Round(docxBytes / 1024.0, 1),
        }));
        return 0;
    }

    /// <summary>The workbook written to a temporary file, as the API writes it; memory counted from the loaded snapshot up.</summary>
    private static async Task<(double Seconds, long HeapPeakAbove, long Size, long LiveAbove)> WorkbookAsync(
        ExportSource source, string form, string period, CancellationToken cancellationToken, bool checkpoints = false)
    {
        var watch = Stopwatch.StartNew();
        var (data, refusal, _) = await source.LoadAsync(form, period, "VN", cancellationToken);
        if (data is null)
        {
            throw new InvalidOperationException(refusal!.Message.En);
        }
        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        using var memory = new RollupBenchmark.PeakMemory();
        var path = Path.Combine(Path.GetTempPath(), "qcdc-bench-" + Guid.NewGuid().ToString("N") + ".xlsx");
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose))
        {
            long live = 0;
            var reports = source.ReportsAsync(data, cancellationToken);
            await RollupWorkbook.WriteAsync(file, data, checkpoints ? Live(reports, baseline, above => live = Math.Max(live, above)) : reports, cancellationToken);
            var peak = memory.Stop();
            var elapsed = watch.Elapsed.TotalSeconds;
            GC.KeepAlive(data);
            return (elapsed, Math.Max(0, peak - baseline), file.Length, live);
        }
    }

    /// <summary>The reports, with what is live above the baseline measured after a full collection every 2,500 of them.</summary>
    private static async IAsyncEnumerable<Qcdc.Submissions.Submission> Live(IAsyncEnumerable<Qcdc.Submissions.Submission> reports, long baseline, Action<long> seen)
    {
        var n = 0;
        await foreach (var report in reports)
        {
            if (++n % 2500 == 0)
            {
                var above = GC.GetTotalMemory(true) - baseline;
                Console.WriteLine($"  after {n} reports: {above / 1048576.0:F1} MB held above the snapshot");
                seen(above);
            }
            yield return report;
        }
    }

    private static async Task<(double Seconds, long Bytes)> DownloadAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var bytes = (await response.Content.ReadAsByteArrayAsync(cancellationToken)).LongLength;
        return (watch.Elapsed.TotalSeconds, bytes);
    }
}
