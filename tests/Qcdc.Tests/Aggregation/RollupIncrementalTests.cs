using System.Net;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;
using Qcdc.Jobs;
using Qcdc.Periods;
using Qcdc.Rollups;
using Qcdc.Storage;
using Qcdc.Submissions;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using Qcdc.Units;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Aggregation;

/// <summary>
/// The timers recompute only stale snapshots, a failed or raced write leaves the previous snapshot whole, identical
/// inputs give identical snapshots, the counted statuses are configurable, and a new form version is followed.
/// </summary>
public sealed class RollupIncrementalTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RollupService Rollups(ReportingApp app) => app.Factory.Services.GetRequiredService<RollupService>();

    private static async Task FileAsync(ReportingApp app, string period, string unit, int docs, bool submit = true)
    {
        var url = $"/api/submissions/QCDC-Q/{period}/{unit}";
        var existing = await app.Admin.GetAsync(url, Ct);
        var body = CompleteFor(period).Replace("\"docs_issued\": 3", $"\"docs_issued\": {docs}", StringComparison.Ordinal);
        var saved = await app.Admin.SendAsync(Put(url, body, existing.IsSuccessStatusCode ? existing.Headers.ETag!.Tag : null), Ct);
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync(Ct));
        if (submit)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsync(url + "/submit", null, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task TheTimersRecomputeOnlyStaleSnapshots()
    {
        await using var app = new ReportingApp(azurite, new DateTimeOffset(2025, 12, 20, 3, 0, 0, TimeSpan.Zero));
        await FileAsync(app, "2025Q3", "LC-X-BINHLU", 3);
        var job = app.Factory.Services.GetRequiredService<PeriodRollupJob>();
        var context = new JobContext(JobTrigger.Manual, false, app.Clock.GetUtcNow(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var first = await Rollups(app).RunStalePeriodsAsync(Ct);
        await Rollups(app).RunStaleQuartersAsync(Ct);
        var again = await job.RunAsync(context, Ct);
        await FileAsync(app, "2025Q4", "LC-X-BINHLU", 5, submit: false);
        await FileAsync(app, "2025Q4", "LC-X-SONBINH", 2);
        var quarters = await Rollups(app).RunStaleQuartersAsync(Ct);
        var afterChange = await Rollups(app).RunStalePeriodsAsync(Ct);
        var year = await (await app.Admin.GetAsync("/api/rollups/QCDC-Q/2025/LC-X-SONBINH", Ct)).ReadJsonAsync();

        Assert.Equal(["2021-2025", "2024", "2024H1", "2024H2", "2025", "2025H1", "2025H2"], first.Select(s => s.Period).Order(StringComparer.Ordinal));
        Assert.Equal("no period was stale", again.Summary);
        Assert.Equal(["2025Q4"], quarters.Select(s => s.Period));
        Assert.Equal(["2021-2025", "2025", "2025H2"], afterChange.Select(s => s.Period).Order(StringComparer.Ordinal));
        Assert.Equal(2m, year.GetProperty("values").GetProperty("docs_issued").GetDecimal());
    }

    [Fact]
    public async Task AQuarterPastItsLockDateGetsOneFinalSnapshot()
    {
        await using var app = new ReportingApp(azurite);
        await FileAsync(app, "2024Q3", "LC-TDG-01", 3);
        await Rollups(app).RunStaleQuartersAsync(Ct);

        app.Clock.SetUtcNow(new DateTimeOffset(2024, 11, 1, 3, 0, 0, TimeSpan.Zero)); // 2024Q3 locked after 25 Oct
        var closing = await Rollups(app).RunStaleQuartersAsync(Ct);
        var afterwards = await Rollups(app).RunStaleQuartersAsync(Ct);
        var stored = await app.Factory.Services.GetRequiredService<RollupSnapshotStore>().ListAsync(Ct);

        Assert.Contains(closing, s => s.Period == "2024Q3");
        Assert.DoesNotContain(afterwards, s => s.Period == "2024Q3");
        Assert.Contains(stored, s => s.Period == "2024Q3" && s.Final);
    }

    [Fact]
    public async Task AFailedSnapshotWriteLeavesThePreviousSnapshotWholeAndTheRerunWritesWhatAnUninterruptedRunWould()
    {
        var failing = false;
        await using var app = new ReportingApp(azurite, configure: f => f.WithServices(services =>
            services.Replace(ServiceDescriptor.Singleton(sp => new RollupSnapshotStore(UploadsThatCanFail(sp, () => failing), sp.GetRequiredService<StorageNames>())))));
        await FileAsync(app, "2024Q3", "LC-TDG-01", 4);
        await Rollups(app).RunAsync("QCDC-Q", Period.Quarter(2024, 3), Ct);
        await FileAsync(app, "2024Q3", "LC-TDG-02", 9);

        failing = true;
        await Assert.ThrowsAsync<RequestFailedException>(() => Rollups(app).RunStaleQuartersAsync(Ct));
        var meanwhile = await (await app.Admin.GetAsync("/api/rollups/QCDC-Q/2024Q3/LC-TDG", Ct)).ReadJsonAsync();
        var blob = await app.Factory.Services.GetRequiredService<RollupSnapshotStore>().GetAsync("QCDC-Q", "2024Q3", null, Ct);
        failing = false;
        var rerun = await Rollups(app).RunStaleQuartersAsync(Ct);
        var afterRerun = await app.Factory.Services.GetRequiredService<RollupSnapshotStore>().GetAsync("QCDC-Q", "2024Q3", null, Ct);
        await Rollups(app).RunAsync("QCDC-Q", Period.Quarter(2024, 3), Ct);
        var uninterrupted = await app.Factory.Services.GetRequiredService<RollupSnapshotStore>().GetAsync("QCDC-Q", "2024Q3", null, Ct);

        Assert.Equal(4, meanwhile.GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.True(meanwhile.GetProperty("stale").GetBoolean());
        Assert.Equal(4m, RollupViews.ForUnit(new RollupRead(blob!.Snapshot, false), "LC-TDG", UnitHierarchy.Empty).Values.Number("docs_issued"));
        Assert.Contains(rerun, s => s.Period == "2024Q3");
        Assert.Equal(Comparable(uninterrupted!.Snapshot), Comparable(afterRerun!.Snapshot));
        Assert.Equal(13m, RollupViews.ForUnit(new RollupRead(afterRerun.Snapshot, false), "LC-TDG", UnitHierarchy.Empty).Values.Number("docs_issued"));
    }

    /// <summary>A snapshot's bytes apart from when it was computed.</summary>
    private static string Comparable(RollupSnapshot snapshot)
    {
        var bytes = RollupSnapshotCodec.Encode(new RollupSnapshot
        {
            Form = snapshot.Form,
            Period = snapshot.Period,
            IsQuarter = snapshot.IsQuarter,
            ComputedAt = default,
            Stamp = snapshot.Stamp,
            Final = snapshot.Final,
            Schema = snapshot.Schema,
            Units = snapshot.Units,
            Parents = snapshot.Parents,
            States = snapshot.States,
            Expected = snapshot.Expected,
            Counted = snapshot.Counted,
            Late = snapshot.Late,
            SubmittedAt = snapshot.SubmittedAt,
            Own = snapshot.Own,
            OwnPresent = snapshot.OwnPresent,
            Aggregate = snapshot.Aggregate,
            AggregatePresent = snapshot.AggregatePresent,
            ExpectedCount = snapshot.ExpectedCount,
            ReportedCount = snapshot.ReportedCount,
            OnTimeCount = snapshot.OnTimeCount,
            LateCount = snapshot.LateCount,
            Notes = snapshot.Notes,
        });
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Blob storage as the app uses it, except that a snapshot upload can fail on demand (a real store cannot).</summary>
    private static BlobServiceClient UploadsThatCanFail(IServiceProvider services, Func<bool> failing)
    {
        var real = services.GetRequiredService<BlobServiceClient>();
        var names = services.GetRequiredService<StorageNames>();
        var container = real.GetBlobContainerClient(names.Container(StorageNames.RollupsContainer));
        var seam = new Mock<BlobContainerClient>();
        seam.Setup(c => c.GetBlobClient(It.IsAny<string>())).Returns((string name) =>
        {
            var blob = container.GetBlobClient(name);
            var mock = new Mock<BlobClient>();
            mock.Setup(b => b.DownloadContentAsync(It.IsAny<BlobDownloadOptions>(), It.IsAny<CancellationToken>()))
                .Returns((BlobDownloadOptions o, CancellationToken ct) => blob.DownloadContentAsync(o, ct));
            mock.Setup(b => b.GetPropertiesAsync(It.IsAny<BlobRequestConditions>(), It.IsAny<CancellationToken>()))
                .Returns((BlobRequestConditions c, CancellationToken ct) => blob.GetPropertiesAsync(c, ct));
            mock.Setup(b => b.UploadAsync(It.IsAny<BinaryData>(), It.IsAny<BlobUploadOptions>(), It.IsAny<CancellationToken>()))
                .Returns((BinaryData content, BlobUploadOptions o, CancellationToken ct) =>
                    failing() ? throw new RequestFailedException(500, "storage failed mid-rollup") : blob.UploadAsync(content, o, ct));
            return mock.Object;
        });
        seam.Setup(c => c.GetBlobsAsync(It.IsAny<GetBlobsOptions>(), It.IsAny<CancellationToken>()))
            .Returns((GetBlobsOptions o, CancellationToken ct) => container.GetBlobsAsync(o, ct));
        var service = new Mock<BlobServiceClient>();
        service.Setup(s => s.GetBlobContainerClient(It.IsAny<string>())).Returns(seam.Object);
        return service.Object;
    }

    [Fact]
    public async Task ASnapshotIsWrittenOnlyOverTheOneItWasComputedAfter()
    {
        await using var app = new ReportingApp(azurite);
        var store = app.Factory.Services.GetRequiredService<RollupSnapshotStore>();
        var engine = new RollupEngine(await app.Factory.Services.GetRequiredService<UnitStore>().GetHierarchyAsync(Ct), SeedData.QuarterlyForm());
        RollupSnapshot Snapshot(int docs) => engine.Report("2024Q2", "LC-TDG-01", $$"""{"docs_issued": {{docs}}}""").Snapshot("2024Q2");

        var first = await store.PutAsync(Snapshot(1), null, Ct);
        var secondWithoutCondition = await store.PutAsync(Snapshot(2), null, Ct);
        var third = await store.PutAsync(Snapshot(3), first, Ct);
        var fourthOnAnOldOne = await store.PutAsync(Snapshot(4), first, Ct);
        var stored = await store.GetAsync("QCDC-Q", "2024Q2", null, Ct);

        Assert.NotNull(first);
        Assert.Null(secondWithoutCondition);
        Assert.NotNull(third);
        Assert.Null(fourthOnAnOldOne);
        Assert.Equal(third, stored!.ETag);
        Assert.Equal(3m, RollupViews.ForUnit(new RollupRead(stored.Snapshot, false), "LC", UnitHierarchy.Empty).Values.Number("docs_issued"));
    }

    [Fact]
    public async Task WhichStatusesCountIsConfigurable()
    {
        await using var submittedCounts = new ReportingApp(azurite);
        await using var approvedOnly = new ReportingApp(azurite, configure: f => f.With("Rollups:CountedStatuses:0", "Approved"));
        foreach (var app in new[] { submittedCounts, approvedOnly })
        {
            await FileAsync(app, "2024Q3", "LC-TDG-01", 4);
            await FileAsync(app, "2024Q3", "LC-TDG-02", 6);
            Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsync($"{Q3}/LC-TDG-02/approve", null, Ct)).StatusCode);
        }

        var all = await (await submittedCounts.Admin.GetAsync("/api/rollups/QCDC-Q/2024Q3/LC-TDG", Ct)).ReadJsonAsync();
        var reviewed = await (await approvedOnly.Admin.GetAsync("/api/rollups/QCDC-Q/2024Q3/LC-TDG", Ct)).ReadJsonAsync();

        Assert.Equal(10, all.GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.Equal(2, all.GetProperty("completeness").GetProperty("submitted").GetInt32());
        Assert.Equal(6, reviewed.GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.Equal(1, reviewed.GetProperty("completeness").GetProperty("submitted").GetInt32());
        Assert.Contains("LC-TDG-01", reviewed.GetProperty("completeness").GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public void TheSameReportsInAnyOrderGiveIdenticalSnapshots()
    {
        var start = new DateOnly(2008, 1, 1);
        var tree = new UnitHierarchy([.. new[] { new Unit("P", "Tỉnh", "province", start) }
            .Concat(Enumerable.Range(1, 5).Select(d => new Unit($"D{d}", $"Huyện {d}", "district", start, "P")))
            .Concat(Enumerable.Range(1, 60).Select(c => new Unit($"C{c:D2}", $"Xã {c}", "commune", start, $"D{c % 5 + 1}")))]);
        var random = new Random(7);
        var reports = Enumerable.Range(1, 60).Where(c => c % 7 != 0).Select(c => (Unit: $"C{c:D2}", Late: c % 3 == 0,
            Json: $$"""{"docs_issued": {{random.Next(50)}}, "cadres_briefed": {"numerator": {{c}}, "denominator": {{c * 3}}}, "land_area": {{random.Next(1000)}}.{{random.Next(10)}}, "income_per_capita": {{random.Next(100)}}.5}""")).ToList();
        string Run(IEnumerable<(string Unit, bool Late, string Json)> order)
        {
            var engine = new RollupEngine(tree, SeedData.QuarterlyForm());
            foreach (var (unit, late, json) in order)
            {
                engine.Report("2024Q3", unit, json, late: late).Report("2024Q4", unit, json, late: !late);
            }
            return Convert.ToBase64String(RollupSnapshotCodec.Encode(engine.Snapshot("2024Q3"))) + Convert.ToBase64String(RollupSnapshotCodec.Encode(engine.Snapshot("2024H2")));
        }

        var forward = Run(reports);
        Assert.Equal(forward, Run(reports.OrderBy(_ => random.Next())));
        Assert.Equal(forward, Run(Enumerable.Reverse(reports)));
    }

    [Fact]
    public void AnIndicatorAddedByANewFormVersionCountsFromTheQuartersThatHaveIt()
    {
        var v1 = SeedData.QuarterlyForm();
        var v2 = v1 with
        {
            Version = 2,
            EffectiveFrom = "2025Q3",
            Indicators = [.. v1.Indicators, v1.FindIndicator("docs_issued")! with { Code = "digital_meetings", Label = "Số cuộc họp trực tuyến" }],
        };
        var start = new DateOnly(2008, 1, 1);
        var tree = new UnitHierarchy([new Unit("D", "Huyện", "district", start), new Unit("C1", "Xã 1", "commune", start, "D"), new Unit("C2", "Xã 2", "commune", start, "D")]);
        // Q1 and Q2 were filed on version 1, Q3 and Q4 on version 2 (C2 left the new indicator empty in Q3).
        var engine = new RollupEngine(tree, v1, v2)
            .Report("2025Q1", "C1", """{"docs_issued": 1}""").Report("2025Q1", "C2", """{"docs_issued": 2}""")
            .Report("2025Q2", "C1", """{"docs_issued": 1}""").Report("2025Q2", "C2", """{"docs_issued": 2}""")
            .Report("2025Q3", "C1", """{"docs_issued": 1, "digital_meetings": 4}""").Report("2025Q3", "C2", """{"docs_issued": 2}""")
            .Report("2025Q4", "C1", """{"docs_issued": 1, "digital_meetings": 5}""").Report("2025Q4", "C2", """{"docs_issued": 2, "digital_meetings": 6}""");

        Assert.False(engine.Values("2025Q1", "D").ContainsKey("digital_meetings"));
        Assert.Equal(4m, engine.Values("2025Q3", "D").Number("digital_meetings"));
        Assert.Equal(15m, engine.Values("2025", "D").Number("digital_meetings"));
        Assert.Equal(12m, engine.Values("2025", "D").Number("docs_issued"));
    }

    [Fact]
    public async Task AYearAcrossTheReorganisationFollowsMergesAndSplitsFromQuarterlySnapshotsOnly()
    {
        // 20 Dec 2025 in Vietnam: 2025Q1 is locked (admin back-fill), 2025Q3 too; the merged communes began on 1 July.
        await using var app = new ReportingApp(azurite, new DateTimeOffset(2025, 12, 20, 3, 0, 0, TimeSpan.Zero));
        await FileAsync(app, "2025Q1", "LC-TDG-01", 10);
        await FileAsync(app, "2025Q1", "LC-TDG-06", 4);
        await FileAsync(app, "2025Q1", "LC-TDG-08", 10);
        await FileAsync(app, "2025Q3", "LC-X-BINHLU", 3);

        var run = await app.Admin.PostAsync("/api/manage/rollups/run", HttpJson.Body("""{"form":"QCDC-Q","period":"2025"}"""), Ct);
        var merged = await (await app.Admin.GetAsync("/api/rollups/QCDC-Q/2025/LC-X-BINHLU", Ct)).ReadJsonAsync();
        var ended = await (await app.Admin.GetAsync("/api/rollups/QCDC-Q/2025/LC-TDG", Ct)).ReadJsonAsync();
        var province = await (await app.Admin.GetAsync("/api/rollups/QCDC-Q/2025/LC", Ct)).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Equal(1, (await run.ReadJsonAsync()).GetProperty("writes").GetInt32());
        // Bình Lư: Tam Đường town (10) and Bình Lư (4) whole, 60 % of Nùng Nàng (6), then its own 3.
        Assert.Equal(23m, merged.GetProperty("values").GetProperty("docs_issued").GetDecimal());
        Assert.Contains(merged.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("LC-TDG-08 was split", StringComparison.Ordinal));
        Assert.Equal(24m, ended.GetProperty("values").GetProperty("docs_issued").GetDecimal());
        Assert.Equal(27m, province.GetProperty("values").GetProperty("docs_issued").GetDecimal());
    }
}
