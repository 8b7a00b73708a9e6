using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Forms;
using Qcdc.Periods;
using Qcdc.Rollups;
using Qcdc.Storage;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Benchmarks;

/// <summary>
/// The quarterly rollup of a synthetic country (63 provinces, their districts and ≥ 10,000 communes, 60 values each)
/// against a bare scan of the same entities in the same run (DESIGN.md §7: ratio ≤ 1.25), and the five-year rollup
/// from 20 quarterly rollups.
/// </summary>
public static class RollupBenchmark
{
    private const string Form = "BENCH-Q";
    private static readonly Period Quarter = Period.Quarter(2024, 3);

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var communes = Stats.Option(args, "--communes", 10_080);
        await using var app = await BenchmarkApp.StartAsync(new DateTimeOffset(2024, 9, 10, 3, 0, 0, TimeSpan.Zero), cancellationToken);
        var services = app.Services;
        var names = new StorageNames(app.Prefix);
        var tables = new TableServiceClient(app.Azurite.ConnectionString);
        var submissionsTable = tables.GetTableClient(names.Table(StorageNames.SubmissionsTable));
        var rollupsTable = tables.GetTableClient(names.Table(StorageNames.RollupsTable));

        var form = SyntheticForm();
        await services.GetRequiredService<FormStore>().PublishAsync(form, cancellationToken);
        var units = SyntheticCountry(communes);
        var (_, problems) = await services.GetRequiredService<UnitStore>().ImportAsync(units, cancellationToken);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems.Take(5).Select(p => $"{p.Code} {p.Field}")));
        }
        Console.WriteLine($"Writing {units.Count} reports of {form.Indicators.Count} values ({units.Count(u => u.Kind == "province")} provinces, " +
            $"{units.Count(u => u.Kind == "district")} districts, {units.Count(u => u.Kind == "commune")} communes, {units.Count(u => u.Kind == "agency")} agencies)…");
        var partition = $"{Form}|{Quarter.Key}";
        var random = new Random(2024);
        foreach (var batch in units.Chunk(100))
        {
            await submissionsTable.SubmitTransactionAsync(batch.Select(u => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                SubmissionStore.ToCurrentEntity(new Submission(new SubmissionKey(Form, Quarter.Key, u.Code), SubmissionStatus.Submitted, 2, 1,
                    Values(form, random), DateTimeOffset.UtcNow, new Author("benchmark"), DateTimeOffset.UtcNow, new Author("benchmark"), random.Next(10) == 0)))), cancellationToken);
        }

        var scanQuery = () => submissionsTable.QueryAsync<TableEntity>(
            e => e.PartitionKey == partition && string.Compare(e.RowKey, "S|") > 0 && string.Compare(e.RowKey, "S|~") < 0,
            maxPerPage: 1000, select: ["Unit", "Status", "Late", "Values"], cancellationToken: cancellationToken);
        Console.WriteLine("Bare scan (warm-up), bare scan, rollup, bare scan…");
        await ScanAsync(scanQuery);
        var (scan1, entities) = await ScanAsync(scanQuery);

        var rollups = services.GetRequiredService<RollupService>();
        // Warm-up run, as the scan had one: the measured run is the timer's steady state, not the first JIT.
        await rollups.RunQuarterAsync(Form, Quarter, cancellationToken);
        using var memory = new PeakMemory();
        var rollupWatch = Stopwatch.StartNew();
        var summary = (await rollups.RunQuarterAsync(Form, Quarter, cancellationToken))!;
        var rollupSeconds = rollupWatch.Elapsed.TotalSeconds;
        var peakMb = memory.Stop() / 1024.0 / 1024.0;
        var (scan2, _) = await ScanAsync(scanQuery);
        {
            var w = Stopwatch.StartNew();
            var (reports, _) = await services.GetRequiredService<SubmissionStore>().ReadFiguresAsync(Form, Quarter.Key, cancellationToken);
            var tRead = w.Elapsed.TotalSeconds; w.Restart();
            var h = await services.GetRequiredService<UnitStore>().GetHierarchyAsync(cancellationToken);
            var computed = RollupCalculator.Compute(form, Quarter.End, h, reports, RollupCalculator.DefaultCountedStatuses);
            var tCompute = w.Elapsed.TotalSeconds; w.Restart();
            await services.GetRequiredService<RollupStore>().WriteAsync(Form, "X", computed, DateTimeOffset.UtcNow, cancellationToken);
            Console.WriteLine($"Where the rollup's time goes (the same steps called one by one): read {tRead:F2} s, compute {tCompute:F2} s, write {w.Elapsed.TotalSeconds:F2} s");
        }
        var scanSeconds = (scan1 + scan2) / 2;

        Console.WriteLine("Copying the quarterly rollup into the 19 other quarters of 2020-2024 (closed, final)…");
        var stored = new List<TableEntity>();
        await foreach (var e in rollupsTable.QueryAsync<TableEntity>(e => e.PartitionKey == $"{Form}|{Quarter.Key}", cancellationToken: cancellationToken))
        {
            stored.Add(e);
        }
        var window = Period.FiveYears(2020);
        foreach (var other in window.Quarters().Where(q => q != Quarter))
        {
            foreach (var batch in stored.Where(e => !e.RowKey.StartsWith('~')).Chunk(100))
            {
                await rollupsTable.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    new TableEntity(e) { PartitionKey = $"{Form}|{other.Key}", ETag = default })), cancellationToken);
            }
        }
        foreach (var q in window.Quarters())
        {
            await services.GetRequiredService<RollupStore>().SetRunAsync(Form, q.Key, null, final: true, DateTimeOffset.UtcNow, cancellationToken);
        }
        {
            var w = Stopwatch.StartNew();
            await services.GetRequiredService<RollupStore>().ReadAllAsync(Form, Quarter.Key, cancellationToken);
            Console.WriteLine($"Reading one quarterly rollup partition: {w.Elapsed.TotalSeconds:F2} s");
        }
        var fiveYearWatch = Stopwatch.StartNew();
        var fiveYear = (await rollups.RunPeriodAsync(Form, window, cancellationToken))!;
        var fiveYearSeconds = fiveYearWatch.Elapsed.TotalSeconds;

        var ratio = rollupSeconds / scanSeconds;
        var minimumReads = (int)Math.Ceiling(entities / 1000.0);
        Console.WriteLine();
        Console.WriteLine($"units {summary.Units}, values {summary.Values}, report entities {entities}");
        Console.WriteLine($"rollup {rollupSeconds:F2} s   bare scan {scanSeconds:F2} s (runs {scan1:F2}, {scan2:F2})   ratio {ratio:F2} (target ≤ 1.25)");
        Console.WriteLine($"reads {summary.Reads} (⌈entities/1000⌉ = {minimumReads})   writes {summary.Writes} batch transactions of ≤ 100   peak managed heap {peakMb:F0} MB");
        Console.WriteLine($"five-year {window.Key}: {fiveYearSeconds:F2} s, {fiveYear.Reads} reads of rollup partitions only, {fiveYear.Writes} writes, {fiveYear.Units} units");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            benchmark = "rollup",
            units = summary.Units,
            valuesPerReport = form.Indicators.Count,
            entities,
            rollupSeconds = Math.Round(rollupSeconds, 3),
            scanSeconds = Math.Round(scanSeconds, 3),
            ratio = Math.Round(ratio, 3),
            reads = summary.Reads,
            writes = summary.Writes,
            peakManagedHeapMb = Math.Round(peakMb, 1),
            fiveYearSeconds = Math.Round(fiveYearSeconds, 3),
            fiveYearReads = fiveYear.Reads,
            fiveYearWrites = fiveYear.Writes,
        }));
        return 0;
    }

    private static async Task<(double Seconds, int Entities)> ScanAsync(Func<Azure.AsyncPageable<TableEntity>> query)
    {
        var watch = Stopwatch.StartNew();
        var count = 0;
        await foreach (var page in query().AsPages(pageSizeHint: 1000))
        {
            count += page.Values.Count;
        }
        return (watch.Elapsed.TotalSeconds, count);
    }

    /// <summary>60 indicators with every hierarchy rule: flows, stocks, ratios, maxima and averages.</summary>
    private static FormDefinition SyntheticForm()
    {
        var indicators = new List<Indicator>();
        for (var i = 1; i <= 60; i++)
        {
            var code = $"v{i:D2}";
            indicators.Add(i switch
            {
                <= 40 => new Indicator(code, $"Chỉ tiêu {i}", IndicatorType.Integer, HierarchyAggregation.Sum, TimeAggregation.Sum),
                <= 48 => new Indicator(code, $"Chỉ tiêu {i}", IndicatorType.Decimal, HierarchyAggregation.Sum, TimeAggregation.Last, DecimalPlaces: 1),
                <= 54 => new Indicator(code, $"Chỉ tiêu {i}", IndicatorType.Ratio, HierarchyAggregation.RatioOfSums, TimeAggregation.Last),
                <= 57 => new Indicator(code, $"Chỉ tiêu {i}", IndicatorType.Integer, HierarchyAggregation.Max, TimeAggregation.Max),
                _ => new Indicator(code, $"Chỉ tiêu {i}", IndicatorType.Decimal, HierarchyAggregation.AverageOfUnits, TimeAggregation.Average, DecimalPlaces: 1),
            });
        }
        return new FormDefinition(Form, "Biểu tổng hợp thử nghiệm", PeriodType.Quarter, ["province", "district", "commune", "agency"], indicators);
    }

    private static JsonObject Values(FormDefinition form, Random random)
    {
        var values = new JsonObject();
        foreach (var indicator in form.Indicators)
        {
            values[indicator.Code] = indicator.Type switch
            {
                IndicatorType.Ratio => new JsonObject { ["numerator"] = random.Next(50), ["denominator"] = 50 + random.Next(50) },
                IndicatorType.Decimal => JsonValue.Create(Math.Round((decimal)random.NextDouble() * 1000, 1)),
                _ => JsonValue.Create(random.Next(100)),
            };
        }
        return values;
    }

    /// <summary>63 provinces, each with one provincial agency and 11 districts of communes (16 each by default).</summary>
    private static List<Unit> SyntheticCountry(int communes)
    {
        var start = new DateOnly(2008, 1, 1);
        var units = new List<Unit>();
        var perDistrict = (int)Math.Ceiling(communes / (63.0 * 11));
        for (var p = 1; p <= 63; p++)
        {
            var province = $"P{p:D2}";
            units.Add(new Unit(province, $"Tỉnh {p}", "province", start));
            units.Add(new Unit($"{province}-AG", $"Sở {p}", "agency", start, province));
            for (var d = 1; d <= 11; d++)
            {
                var district = $"{province}-D{d:D2}";
                units.Add(new Unit(district, $"Huyện {p}.{d}", "district", start, province));
                for (var c = 1; c <= perDistrict; c++)
                {
                    units.Add(new Unit($"{district}-C{c:D2}", $"Xã {p}.{d}.{c}", "commune", start, district));
                }
            }
        }
        return units;
    }

    /// <summary>Samples the managed heap while a run lasts; answers the largest size seen.</summary>
    private sealed class PeakMemory : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampler;
        private long _peak;

        public PeakMemory()
        {
            GC.Collect();
            _sampler = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    _peak = Math.Max(_peak, GC.GetTotalMemory(false));
                    await Task.Delay(10).ConfigureAwait(false);
                }
            });
        }

        public long Stop()
        {
            _stop.Cancel();
            _sampler.Wait();
            return Math.Max(_peak, GC.GetTotalMemory(false));
        }

        public void Dispose() => _stop.Dispose();
    }
}
