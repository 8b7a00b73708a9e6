using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
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
/// against a bare scan of the same entities in the same run (DESIGN.md §7: ratio ≤ 1.25); the five-year rollup from 20
/// quarterly snapshots against a bare download of those 20 blobs (ratio ≤ 2); and, in the seeded province, the time
/// from a submit to a province total that includes it.
/// </summary>
public static class RollupBenchmark
{
    private const string Form = "BENCH-Q";
    private static readonly Period Quarter = Period.Quarter(2024, 3);

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var communes = Stats.Option(args, "--communes", 10_080);
        var rounds = Stats.Option(args, "--rounds", 7);
        await using var app = await BenchmarkApp.StartAsync(new DateTimeOffset(2024, 9, 10, 3, 0, 0, TimeSpan.Zero), cancellationToken,
            new Dictionary<string, string> { ["Seed:DemoReports"] = "true" });
        var services = app.Services;
        var names = new StorageNames(app.Prefix);
        var tables = new TableServiceClient(app.Azurite.ConnectionString);
        var blobs = new BlobServiceClient(app.Azurite.ConnectionString);
        var submissionsTable = tables.GetTableClient(names.Table(StorageNames.SubmissionsTable));
        var rollupsContainer = blobs.GetBlobContainerClient(names.Container(StorageNames.RollupsContainer));

        var submitToFresh = await SubmitToFreshProvinceTotalAsync(app, cancellationToken);

        var (form, units) = await SeedCountryAsync(app, communes, country: false, cancellationToken);
        var partition = $"{Form}|{Quarter.Key}";

        // The bare scan reads the same entities and columns as the rollup's scan, page by page, and does nothing with them.
        var scanQuery = () => submissionsTable.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {"S|"} and RowKey lt {"S|~"}"),
            maxPerPage: 1000, select: ["Unit", "Status", "Late", "SubmittedAt", "Values"], cancellationToken: cancellationToken);
        var rollups = services.GetRequiredService<RollupService>();
        Console.WriteLine($"Warm-up (a scan and a rollup), then {rounds} rounds of bare scan and quarterly rollup, alternating…");
        await ScanAsync(scanQuery);
        await rollups.RunAsync(Form, Quarter, cancellationToken);
        var scans = new List<double>();
        var runs = new List<double>();
        var entities = 0;
        RollupSummary summary = null!;
        long peak = 0;
        for (var round = 0; round < rounds; round++)
        {
            var (scanSeconds, count) = await ScanAsync(scanQuery);
            scans.Add(scanSeconds);
            entities = count;
            using var memory = new PeakMemory();
            var watch = Stopwatch.StartNew();
            summary = (await rollups.RunAsync(Form, Quarter, cancellationToken))!;
            runs.Add(watch.Elapsed.TotalSeconds);
            peak = Math.Max(peak, memory.Stop());
        }
        var scan = Stats.Median(scans);
        var rollup = Stats.Median(runs);
        var snapshotBytes = (await rollupsContainer.GetBlobClient(RollupSnapshotStore.BlobName(Form, Quarter.Key)).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;

        // The five-year review is held once the window has ended: every one of its 20 quarters has begun, as the floor reads them.
        ((Microsoft.Extensions.Time.Testing.FakeTimeProvider)services.GetRequiredService<TimeProvider>()).SetUtcNow(new DateTimeOffset(2026, 1, 10, 3, 0, 0, TimeSpan.Zero));
        Console.WriteLine("Copying the quarter's snapshot into the 19 other quarters of 2021-2025, each fresh for its own (empty) partition…");
        var store = services.GetRequiredService<RollupSnapshotStore>();
        var quarterSnapshot = (await store.GetAsync(Form, Quarter.Key, null, cancellationToken))!.Snapshot;
        var window = Period.FiveYears(2021);
        foreach (var other in window.Quarters().Where(q => q != Quarter))
        {
            var copy = Relabel(quarterSnapshot, other.Key, await rollups.ChangeStampAsync(Form, other, cancellationToken));
            await store.PutAsync(copy, await store.GetETagAsync(Form, other.Key, cancellationToken), cancellationToken);
        }
        // The bare download: the same 20 blobs, one after another as the five-year rollup reads them, into memory.
        var downloads = new List<double>();
        var decodes = new List<double>();
        var fiveYears = new List<double>();
        RollupSummary fiveYear = null!;
        long fiveYearPeak = 0;
        await DownloadAsync(rollupsContainer, window, cancellationToken);
        await rollups.RunAsync(Form, window, cancellationToken);
        for (var round = 0; round < rounds; round++)
        {
            downloads.Add(await DownloadAsync(rollupsContainer, window, cancellationToken));
            decodes.Add(await DownloadAsync(rollupsContainer, window, cancellationToken, decode: true));
            using var memory = new PeakMemory();
            var watch = Stopwatch.StartNew();
            fiveYear = (await RunColdAsync(app, window, cancellationToken))!;
            fiveYears.Add(watch.Elapsed.TotalSeconds);
            fiveYearPeak = Math.Max(fiveYearPeak, memory.Stop());
        }
        var download = Stats.Median(downloads);
        var downloadAndRead = Stats.Median(decodes);
        await PhasesAsync(app, rollupsContainer, window, cancellationToken);
        var fiveYearSeconds = Stats.Median(fiveYears);

        var ratio = rollup / scan;
        var fiveYearRatio = fiveYearSeconds / download;
        var fiveYearReadRatio = fiveYearSeconds / downloadAndRead;
        var minimumReads = (int)Math.Ceiling(entities / 1000.0);
        Console.WriteLine();
        Console.WriteLine($"units {summary.Units}, values {summary.Values}, report entities {entities}, snapshot {snapshotBytes / 1024.0:F0} KiB");
        Console.WriteLine($"quarterly rollup {rollup:F2} s   bare scan {scan:F2} s (runs {string.Join(", ", scans.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))})   ratio {ratio:F2} (target ≤ 1.25)");
        Console.WriteLine($"reads {summary.Reads} (⌈entities/1000⌉ = {minimumReads})   writes {summary.Writes} blob   peak managed heap {peak / 1048576.0:F0} MB");
        Console.WriteLine($"five-year {window.Key} from 20 snapshots {fiveYearSeconds:F2} s   bare download of the 20 blobs {download:F2} s   ratio {fiveYearRatio:F2} (target ≤ 2)   peak managed heap {fiveYearPeak / 1048576.0:F0} MB");
        Console.WriteLine($"  the same 20 downloaded and every number read (nothing added) {downloadAndRead:F2} s   ratio {fiveYearReadRatio:F2} (ADR-005)");
        Console.WriteLine($"submit to fresh province total on read (seeded province): median {submitToFresh.Median:F0} ms, max {submitToFresh.Max:F0} ms");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            benchmark = "rollup",
            units = summary.Units,
            valuesPerReport = form.Indicators.Count,
            entities,
            rollupSeconds = Math.Round(rollup, 3),
            scanSeconds = Math.Round(scan, 3),
            ratio = Math.Round(ratio, 3),
            reads = summary.Reads,
            minimumReads,
            writes = summary.Writes,
            snapshotKiB = Math.Round(snapshotBytes / 1024.0, 1),
            peakManagedHeapMb = Math.Round(peak / 1048576.0, 1),
            fiveYearSeconds = Math.Round(fiveYearSeconds, 3),
            downloadSeconds = Math.Round(download, 3),
            fiveYearRatio = Math.Round(fiveYearRatio, 3),
            downloadAndReadSeconds = Math.Round(downloadAndRead, 3),
            fiveYearReadRatio = Math.Round(fiveYearReadRatio, 3),
            fiveYearPeakManagedHeapMb = Math.Round(fiveYearPeak / 1048576.0, 1),
            submitToFreshMs = Math.Round(submitToFresh.Median, 1),
        }));
        return 0;
    }

    /// <summary>
    /// The five-year rollup as another instance would run it: nothing held in memory, every quarter's snapshot
    /// downloaded (a fresh service, sharing the app's storage clients).
    /// </summary>
    private static Task<RollupSummary?> RunColdAsync(BenchmarkApp app, Period window, CancellationToken cancellationToken)
    {
        var service = ActivatorUtilities.CreateInstance<RollupService>(app.Services);
        return service.RunAsync(Form, window, cancellationToken);
    }

    /// <summary>Where the time goes: the steps of both rollups called one by one (not part of the ratios).</summary>
    private static async Task PhasesAsync(BenchmarkApp app, BlobContainerClient container, Period window, CancellationToken cancellationToken)
    {
        var services = app.Services;
        var catalog = await services.GetRequiredService<FormStore>().GetCatalogAsync(cancellationToken);
        var hierarchy = await services.GetRequiredService<UnitStore>().GetHierarchyAsync(cancellationToken);
        var watch = Stopwatch.StartNew();
        var schema = RollupSchema.For(catalog, Form, Quarter);
        var builder = new QuarterRollupBuilder(schema, hierarchy, Quarter, catalog.ForPeriod(Form, Quarter)!.AppliesTo, RollupOptions.DefaultCountedStatuses);
        var setup = watch.Elapsed.TotalSeconds;
        watch.Restart();
        await services.GetRequiredService<SubmissionStore>().ScanFiguresAsync(Form, Quarter.Key, builder.Add, cancellationToken);
        var scan = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var snapshot = builder.Build(Form, Quarter.Key, DateTimeOffset.UtcNow, "x", false);
        var build = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var bytes = RollupSnapshotCodec.Encode(snapshot);
        var encode = watch.Elapsed.TotalSeconds;
        watch.Restart();
        await container.GetBlobClient("phases/quarter.snap").UploadAsync(new BinaryData(bytes), overwrite: true, cancellationToken);
        var upload = watch.Elapsed.TotalSeconds;
        var raw = new List<(string Unit, string Json)>();
        await foreach (var e in services.GetRequiredService<TableServiceClient>().GetTableClient(new StorageNames(app.Prefix).Table(StorageNames.SubmissionsTable))
            .QueryAsync<TableEntity>($"PartitionKey eq '{Form}|{Quarter.Key}' and RowKey gt 'S|' and RowKey lt 'S|~'", 1000, ["Unit", "Values"], cancellationToken))
        {
            raw.Add((e.GetString("Unit"), e.GetString("Values")));
        }
        watch.Restart();
        var parse = new QuarterRollupBuilder(schema, hierarchy, Quarter, catalog.ForPeriod(Form, Quarter)!.AppliesTo, RollupOptions.DefaultCountedStatuses);
        foreach (var (unit, json) in raw)
        {
            parse.Add(unit, SubmissionStatus.Submitted, false, null, System.Text.Encoding.UTF8.GetBytes(json));
        }
        var read = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"Quarter, step by step: setup {setup:F3} s, scan and read {scan:F3} s (reading the numbers alone {read:F3} s), aggregate {build:F3} s, encode {encode:F3} s ({bytes.Length / 1024} KiB), upload {upload:F3} s");
        Console.WriteLine($"Quarter, step by step: setup {setup:F3} s, scan and read {scan:F3} s, aggregate {build:F3} s, encode {encode:F3} s ({bytes.Length / 1024} KiB), upload {upload:F3} s");

        watch.Restart();
        var blobs = new List<byte[]>();
        foreach (var quarter in window.Quarters())
        {
            blobs.Add((await container.GetBlobClient(RollupSnapshotStore.BlobName(Form, quarter.Key)).DownloadContentAsync(cancellationToken)).Value.Content.ToArray());
        }
        var download = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var deflated = blobs.Select(b => RollupSnapshotCodec.Encode(RollupSnapshotCodec.Decode(b.AsMemory()), System.IO.Compression.CompressionLevel.Fastest)).ToList();
        watch.Restart();
        foreach (var b in deflated)
        {
            RollupSnapshotCodec.Feed(b.AsMemory(), new PeriodRollupBuilder(RollupSchema.For(catalog, Form, Quarter), hierarchy, Quarter));
        }
        var withDeflate = watch.Elapsed.TotalSeconds;
        watch.Restart();
        foreach (var b in blobs)
        {
            RollupSnapshotCodec.Feed(b.AsMemory(), new PeriodRollupBuilder(RollupSchema.For(catalog, Form, Quarter), hierarchy, Quarter));
        }
        var stored = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"Deflate over the layout: {deflated.Sum(b => (long)b.Length) / 20 / 1024} KiB instead of {blobs.Sum(b => (long)b.Length) / 20 / 1024} KiB a quarter; "
            + $"reading the 20 takes {withDeflate:F3} s deflated, {stored:F3} s as stored");
        watch.Restart();
        var decoded = RollupSnapshotCodec.Decode(blobs[0].AsMemory());
        var decode = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var period = new PeriodRollupBuilder(RollupSchema.For(catalog, Form, window), hierarchy, window);
        foreach (var blob in blobs)
        {
            period.AddQuarter(blob.AsMemory());
        }
        var add = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var five = period.Build(Form, window.Key, DateTimeOffset.UtcNow, "x", false);
        var build5 = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var bytes5 = RollupSnapshotCodec.Encode(five);
        var encode5 = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"Five years, step by step: download {download:F3} s, decoding one quarter whole {decode:F3} s (not needed), adding the 20 from their bytes {add:F3} s, finish {build5:F3} s, encode {encode5:F3} s ({bytes5.Length / 1024} KiB)");
    }

    /// <summary>
    /// The bare download of the 20 quarterly blobs into memory, with the parallelism the five-year rollup uses (three
    /// fetched ahead of the one in hand); with <paramref name="decode"/>, each also read through number by number
    /// and nothing done with the numbers (the floor of reading them at all).
    /// </summary>
    private static async Task<double> DownloadAsync(BlobContainerClient container, Period window, CancellationToken cancellationToken, bool decode = false)
    {
        var watch = Stopwatch.StartNew();
        var quarters = window.Quarters();
        Task<BinaryData> Fetch(int k) => container.GetBlobClient(RollupSnapshotStore.BlobName(Form, quarters[k].Key))
            .DownloadContentAsync(cancellationToken).ContinueWith(t => t.Result.Value.Content, cancellationToken, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var fetching = new Queue<Task<BinaryData>>(Enumerable.Range(0, 3).Select(Fetch));
        for (var k = 0; k < quarters.Count; k++)
        {
            var content = await fetching.Dequeue();
            if (k + 3 < quarters.Count)
            {
                fetching.Enqueue(Fetch(k + 3));
            }
            if (decode)
            {
                RollupSnapshotCodec.Feed(content.ToMemory(), new ReadOnly());
            }
            GC.KeepAlive(content);
        }
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Reads every number of a quarter and does nothing with it.</summary>
    internal sealed class ReadOnly : IQuarterVisitor
    {
        public void Begin(QuarterUnits units)
        {
        }

        public void Own(int unit, ReadOnlySpan<Int128> values, ReadOnlySpan<bool> present)
        {
        }

        public void Aggregate(int unit, ReadOnlySpan<Int128> values, ReadOnlySpan<bool> present)
        {
        }

        public void End()
        {
        }
    }

    private static RollupSnapshot Relabel(RollupSnapshot s, string period, string stamp) => new()
    {
        Form = s.Form,
        Period = period,
        IsQuarter = true,
        ComputedAt = s.ComputedAt,
        Stamp = stamp,
        Final = true,
        Schema = s.Schema,
        Units = s.Units,
        Parents = s.Parents,
        States = s.States,
        Expected = s.Expected,
        Counted = s.Counted,
        Late = s.Late,
        SubmittedAt = s.SubmittedAt,
        Own = s.Own,
        OwnPresent = s.OwnPresent,
        Aggregate = s.Aggregate,
        AggregatePresent = s.AggregatePresent,
        ExpectedCount = s.ExpectedCount,
        ReportedCount = s.ReportedCount,
        OnTimeCount = s.OnTimeCount,
        LateCount = s.LateCount,
        Notes = s.Notes,
    };

    /// <summary>
    /// In the seeded province (Lai Châu, with its demo reports): a commune submits, and the province's reviewer reads
    /// the province's quarter total at once. The time from the submit's answer to a total that includes it.
    /// </summary>
    private static async Task<(double Median, double Max)> SubmitToFreshProvinceTotalAsync(BenchmarkApp app, CancellationToken cancellationToken)
    {
        using var client = app.CreateAdminHttpClient(4);
        var times = new List<double>();
        var expected = -1m;
        for (var i = 0; i < 7; i++)
        {
            var unit = $"LC-TDG-{i + 1:D2}";
            var url = $"/api/submissions/QCDC-Q/2024Q3/{unit}";
            var docs = 100 + i;
            var before = await ProvinceDocsAsync(client, cancellationToken);
            var existing = await client.GetAsync(url, cancellationToken);
            var put = new HttpRequestMessage(HttpMethod.Put, url)
            {
                Content = BenchmarkApp.Json($$$"""{"values":{"docs_issued": {{{docs}}}, "receptions": 1, "dialogues": {"district": 0, "commune": 1}, "narrative_results": "Đã tổ chức hội nghị."}}"""),
            };
            if (existing.IsSuccessStatusCode)
            {
                if (!(await existing.Content.ReadAsStringAsync(cancellationToken)).Contains("\"draft\"", StringComparison.Ordinal))
                {
                    continue; // already submitted in the demo data
                }
                put.Headers.TryAddWithoutValidation("If-Match", existing.Headers.ETag!.Tag);
            }
            (await client.SendAsync(put, cancellationToken)).EnsureSuccessStatusCode();
            (await client.PostAsync(url + "/submit", null, cancellationToken)).EnsureSuccessStatusCode();
            var watch = Stopwatch.StartNew();
            var after = await ProvinceDocsAsync(client, cancellationToken);
            times.Add(watch.Elapsed.TotalMilliseconds);
            expected = before + docs;
            if (after != expected)
            {
                throw new InvalidOperationException($"The province total after a submit was {after}, not {expected}.");
            }
        }
        return (Stats.Median(times), times.Max());
    }

    private static async Task<decimal> ProvinceDocsAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var response = await client.GetAsync("/api/rollups/QCDC-Q/2024Q3/LC", cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("values").TryGetProperty("docs_issued", out var docs) ? docs.GetDecimal() : 0m;
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
    /// <summary>Publishes the synthetic form and country and writes one submitted report per unit for the quarter.</summary>
    internal static async Task<(FormDefinition Form, List<Unit> Units)> SeedCountryAsync(BenchmarkApp app, int communes, bool country, CancellationToken cancellationToken)
    {
        var services = app.Services;
        var submissionsTable = new TableServiceClient(app.Azurite.ConnectionString).GetTableClient(new StorageNames(app.Prefix).Table(StorageNames.SubmissionsTable));
        var form = SyntheticForm();
        await services.GetRequiredService<FormStore>().PublishAsync(form, cancellationToken);
        var units = SyntheticCountry(communes, country);
        var (_, problems) = await services.GetRequiredService<UnitStore>().ImportAsync(units, cancellationToken);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems.Take(5).Select(p => $"{p.Code} {p.Field}")));
        }
        Console.WriteLine($"Writing {units.Count} reports of {form.Indicators.Count} values ({units.Count(u => u.Kind == "province")} provinces, " +
            $"{units.Count(u => u.Kind == "district")} districts, {units.Count(u => u.Kind == "commune")} communes, {units.Count(u => u.Kind == "agency")} agencies)…");
        var random = new Random(2024);
        foreach (var batch in units.Chunk(100))
        {
            await submissionsTable.SubmitTransactionAsync(batch.Select(u => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                SubmissionStore.ToCurrentEntity(new Submission(new SubmissionKey(Form, Quarter.Key, u.Code), SubmissionStatus.Submitted, 2, 1,
                    Values(form, random), DateTimeOffset.UtcNow, new Author("benchmark"), DateTimeOffset.UtcNow, new Author("benchmark"), random.Next(10) == 0)))), cancellationToken);
        }

        return (form, units);
    }

    internal const string FormCode = Form;

    internal static readonly Period BenchQuarter = Quarter;

    internal static FormDefinition SyntheticForm()
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

    internal static JsonObject Values(FormDefinition form, Random random)
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
    internal static List<Unit> SyntheticCountry(int communes, bool country = false)
    {
        var start = new DateOnly(2008, 1, 1);
        var units = new List<Unit>();
        if (country)
        {
            units.Add(new Unit("VN", "Ban Chỉ đạo Trung ương (cả nước)", "agency", start));
        }
        var perDistrict = (int)Math.Ceiling(communes / (63.0 * 11));
        for (var p = 1; p <= 63; p++)
        {
            var province = $"P{p:D2}";
            units.Add(new Unit(province, $"Tỉnh {p}", "province", start, country ? "VN" : null));
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
    internal sealed class PeakMemory : IDisposable
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
