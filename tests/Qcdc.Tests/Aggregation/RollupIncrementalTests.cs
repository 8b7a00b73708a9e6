using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;
using Qcdc.Forms;
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
/// The rollup timers recompute only what changed, survive an interruption part-way, give identical stored values
/// for identical inputs, count the configured statuses, and follow a form version that added an indicator.
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

    /// <summary>Every stored row of one rollup partition: unit → values, completeness and notes as stored.</summary>
    private static async Task<SortedDictionary<string, string>> StoredAsync(ReportingApp app, string period)
    {
        var table = app.Factory.Tables.GetTableClient(app.Factory.Names.Table(StorageNames.RollupsTable));
        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == "QCDC-Q|" + period, cancellationToken: Ct))
        {
            if (!e.RowKey.StartsWith('~'))
            {
                rows[e.RowKey] = $"{e.GetString("Values")} {e.GetInt32("Expected")}/{e.GetInt32("Submitted")}/{e.GetInt32("Late")} {e.GetString("Missing")} {e.GetString("Notes")}";
            }
        }
        return rows;
    }

    [Fact]
    public async Task TheWeeklyJobRecomputesOnlyPeriodsWhoseQuartersChanged()
    {
        await using var app = new ReportingApp(azurite, new DateTimeOffset(2025, 12, 20, 3, 0, 0, TimeSpan.Zero));
        await FileAsync(app, "2025Q3", "LC-X-BINHLU", 3);
        var job = app.Factory.Services.GetRequiredService<PeriodRollupJob>();
        var context = new Qcdc.Jobs.JobContext(Qcdc.Jobs.JobTrigger.Manual, false, app.Clock.GetUtcNow(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var first = await Rollups(app).RunChangedPeriodsAsync(Ct);
        var again = await job.RunAsync(context, Ct);
        await FileAsync(app, "2025Q4", "LC-X-BINHLU", 5, submit: false);
        await FileAsync(app, "2025Q4", "LC-X-SONBINH", 2);
        var afterChange = await Rollups(app).RunChangedPeriodsAsync(Ct);
        var year = await (await app.Admin.GetAsync("/api/rollups/QCDC-Q/2025/LC-X-SONBINH", Ct)).ReadJsonAsync();

        Assert.Equal(["2024H1", "2024H2", "2024", "2025H1", "2025H2", "2025", "2021-2025"], first.Select(s => s.Period));
        Assert.Equal("no period changed", again.Summary);
        Assert.Equal(["2025H2", "2025", "2021-2025"], afterChange.Select(s => s.Period));
        Assert.Equal(2m, year.GetProperty("values").GetProperty("docs_issued").GetDecimal());
    }

    [Fact]
    public async Task ARollupInterruptedPartWayEndsWithExactlyTheResultsOfAnUninterruptedRun()
    {
        var failAfter = -1;
        await using var app = new ReportingApp(azurite, configure: f => f.WithServices(services =>
            services.Replace(ServiceDescriptor.Singleton(sp => FailingRollupWrites(sp, () => failAfter-- == 0)))));
        // 250 more communes under Tam Đường: the district's quarter takes three batches of 100.
        var communes = Enumerable.Range(1, 250).Select(i => $$"""{"code":"LC-TDG-N{{i:D3}}","name":"Xã {{i}}","kind":"commune","parent":"LC-TDG","validFrom":"2008-01-01","validTo":"2025-06-30"}""");
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsync("/api/admin/units", HttpJson.Body($$"""{"units":[{{string.Join(",", communes)}}]}"""), Ct)).StatusCode);
        foreach (var (unit, docs) in new[] { ("LC-TDG-01", 4), ("LC-TDG-N007", 9), ("LC-TDG-N250", 1) })
        {
            await FileAsync(app, "2024Q3", unit, docs);
        }

        failAfter = 1; // the second batch fails
        await Assert.ThrowsAsync<RequestFailedException>(() => Rollups(app).RunChangedQuartersAsync(Ct));
        var rerun = await Rollups(app).RunChangedQuartersAsync(Ct);
        var afterRerun = await StoredAsync(app, "2024Q3");
        await Rollups(app).RunQuarterAsync("QCDC-Q", Period.Quarter(2024, 3), Ct);
        var uninterrupted = await StoredAsync(app, "2024Q3");

        Assert.Contains(rerun, s => s.Period == "2024Q3" && s.Writes >= 3);
        Assert.Equal(uninterrupted, afterRerun);
        Assert.StartsWith("{\"docs_issued\":14", afterRerun["LC-TDG"], StringComparison.Ordinal);
    }

    /// <summary>The rollups table's batch writes go to storage until <paramref name="fail"/> says otherwise.</summary>
    private static TableServiceClient FailingRollupWrites(IServiceProvider services, Func<bool> fail)
    {
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value;
        var names = services.GetRequiredService<StorageNames>();
        var real = new TableServiceClient(options.ConnectionString);
        var rollupsTable = real.GetTableClient(names.Table(StorageNames.RollupsTable));
        var table = new Mock<TableClient>(MockBehavior.Loose, options.ConnectionString, names.Table(StorageNames.RollupsTable)) { CallBase = true };
        table.Setup(t => t.SubmitTransactionAsync(It.IsAny<IEnumerable<TableTransactionAction>>(), It.IsAny<CancellationToken>()))
            .Returns((IEnumerable<TableTransactionAction> actions, CancellationToken ct) =>
                fail() ? throw new RequestFailedException(500, "storage failed mid-rollup") : rollupsTable.SubmitTransactionAsync(actions, ct));
        var service = new Mock<TableServiceClient>(MockBehavior.Loose, options.ConnectionString) { CallBase = true };
        service.Setup(s => s.GetTableClient(names.Table(StorageNames.RollupsTable))).Returns(table.Object);
        return service.Object;
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
            await Rollups(app).RunQuarterAsync("QCDC-Q", Period.Quarter(2024, 3), Ct);
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
    public void TheSameReportsInAnyOrderGiveIdenticalRollups()
    {
        var form = SeedData.QuarterlyForm();
        var start = new DateOnly(2008, 1, 1);
        var tree = new UnitHierarchy([.. new[] { new Unit("P", "Tỉnh", "province", start) }
            .Concat(Enumerable.Range(1, 5).Select(d => new Unit($"D{d}", $"Huyện {d}", "district", start, "P")))
            .Concat(Enumerable.Range(1, 60).Select(c => new Unit($"C{c:D2}", $"Xã {c}", "commune", start, $"D{c % 5 + 1}")))]);
        var random = new Random(7);
        var reports = Enumerable.Range(1, 60).Where(c => c % 7 != 0).Select(c => new ReportFigures($"C{c:D2}", SubmissionStatus.Submitted, c % 3 == 0,
            JsonNode.Parse($$"""{"docs_issued": {{random.Next(50)}}, "cadres_briefed": {"numerator": {{c}}, "denominator": {{c * 3}}}, "land_area": {{random.Next(1000)}}.{{random.Next(10)}}, "income_per_capita": {{random.Next(100)}}.5}""")!.AsObject())).ToList();
        string Run(IEnumerable<ReportFigures> order) => string.Join("\n", RollupCalculator.Compute(form, new DateOnly(2024, 9, 30), tree, order, RollupCalculator.DefaultCountedStatuses)
            .Select(r => $"{r.Unit} {r.Values.ToJsonString()} {r.Completeness.Submitted}/{r.Completeness.Late} {string.Join(",", r.Completeness.Missing)}"));

        var forward = Run(reports);
        var shuffled = Run(reports.OrderBy(_ => random.Next()));
        var reversed = Run(Enumerable.Reverse(reports));

        Assert.Equal(forward, shuffled);
        Assert.Equal(forward, reversed);
        Assert.Contains("P {\"docs_issued\":", forward, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIndicatorAddedByANewFormVersionCountsFromTheQuartersThatHaveIt()
    {
        var v1 = SeedData.QuarterlyForm();
        var v2 = v1 with
        {
            Version = 2,
            Indicators = [.. v1.Indicators, v1.FindIndicator("docs_issued")! with { Code = "digital_meetings", Label = "Số cuộc họp trực tuyến" }],
        };
        var start = new DateOnly(2008, 1, 1);
        var tree = new UnitHierarchy([new Unit("D", "Huyện", "district", start), new Unit("C1", "Xã 1", "commune", start, "D"), new Unit("C2", "Xã 2", "commune", start, "D")]);
        static ReportFigures Report(string unit, string json) => new(unit, SubmissionStatus.Submitted, false, JsonNode.Parse(json)!.AsObject());
        // Q1 and Q2 were filed on version 1, Q3 and Q4 on version 2 (C2 left the new indicator empty in Q3).
        var filed = new Dictionary<string, ReportFigures[]>
        {
            ["2025Q1"] = [Report("C1", """{"docs_issued": 1}"""), Report("C2", """{"docs_issued": 2}""")],
            ["2025Q2"] = [Report("C1", """{"docs_issued": 1}"""), Report("C2", """{"docs_issued": 2}""")],
            ["2025Q3"] = [Report("C1", """{"docs_issued": 1, "digital_meetings": 4}"""), Report("C2", """{"docs_issued": 2}""")],
            ["2025Q4"] = [Report("C1", """{"docs_issued": 1, "digital_meetings": 5}"""), Report("C2", """{"docs_issued": 2, "digital_meetings": 6}""")],
        };
        var quarterly = filed.ToDictionary(q => q.Key, q => RollupCalculator.Compute(v2, Period.TryParse(q.Key, out var p) ? p.End : default, tree, q.Value,
            RollupCalculator.DefaultCountedStatuses).ToDictionary(r => r.Unit));

        var year = PeriodRollupCalculator.Compute(v2, Period.CalendarYear(2025), "D", tree, (unit, q) => quarterly[q.Key][unit].Values);

        Assert.Null(quarterly["2025Q1"]["D"].Values["digital_meetings"]);
        Assert.Equal(4m, quarterly["2025Q3"]["D"].Values["digital_meetings"]!.GetValue<decimal>());
        Assert.Equal(15m, year.Values["digital_meetings"]!.GetValue<decimal>());
        Assert.Equal(12m, year.Values["docs_issued"]!.GetValue<decimal>());
    }
}
