using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;
using Qcdc.Periods;
using Qcdc.Rollups;
using Qcdc.Storage;
using Qcdc.Submissions;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Aggregation;

/// <summary>Rollups read through the API: computed on read, fresh after every accepted change, stale only when they must be.</summary>
public sealed class RollupsApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string WithDocs(string report, int docs) => report.Replace("\"docs_issued\": 3", $"\"docs_issued\": {docs}", StringComparison.Ordinal);

    private static async Task FileAsync(ReportingApp app, string period, string unit, int docs, bool submit = true)
    {
        var url = $"/api/submissions/QCDC-Q/{period}/{unit}";
        var existing = await app.Admin.GetAsync(url, Ct);
        var saved = await app.Admin.SendAsync(Put(url, WithDocs(CompleteFor(period), docs), existing.IsSuccessStatusCode ? existing.Headers.ETag!.Tag : null), Ct);
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync(Ct));
        if (submit)
        {
            var submitted = await app.Admin.PostAsync(url + "/submit", null, Ct);
            Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync(Ct));
        }
    }

    private static async Task<JsonElement> RollupAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync("/api/rollups/QCDC-Q/" + path, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadJsonAsync();
    }

    private static decimal Docs(JsonElement rollup) => rollup.GetProperty("values").GetProperty("docs_issued").GetDecimal();

    private static int Computations(ReportingApp app, string period) =>
        app.Factory.Logs.Entries.Count(e => e.Text.StartsWith($"Computed the rollup of QCDC-Q {period}:", StringComparison.Ordinal));

    [Fact]
    public async Task TheFirstReadComputesTheDistrictFromItsCommunesWithCompleteness()
    {
        await using var app = new ReportingApp(azurite);
        await FileAsync(app, "2024Q3", "LC-TDG-01", 3);
        await FileAsync(app, "2024Q3", "LC-TDG-02", 5);
        await FileAsync(app, "2024Q3", "LC-TDG-03", 7, submit: false); // a draft: not counted

        var district = await RollupAsync(await app.ReviewerAsync("LC-TDG"), "2024Q3/LC-TDG");

        Assert.Equal(8m, Docs(district));
        Assert.Equal(2, district.GetProperty("values").GetProperty("dialogues").GetProperty("total").GetInt32());
        var completeness = district.GetProperty("completeness");
        Assert.Equal(2, completeness.GetProperty("submitted").GetInt32());
        Assert.Equal(15, completeness.GetProperty("expected").GetInt32()); // the district, its 13 communes and its agency
        Assert.Contains("LC-TDG-03", completeness.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        Assert.False(district.GetProperty("stale").GetBoolean());
        Assert.False(district.GetProperty("final").GetBoolean());
        Assert.Equal(app.Clock.GetUtcNow(), district.GetProperty("computedAt").GetDateTimeOffset());
        Assert.False(string.IsNullOrEmpty(district.GetProperty("changeStamp").GetString()));
        Assert.Equal("Huyện Tam Đường", district.GetProperty("unitName").GetString());
        Assert.Equal([1], district.GetProperty("formVersions").EnumerateArray().Select(v => v.GetInt32()));
    }

    [Fact]
    public async Task EveryAcceptedChangeIsInTheNextRead()
    {
        await using var app = new ReportingApp(azurite);
        var reviewer = await app.ReviewerAsync("LC-TDG");
        await FileAsync(app, "2024Q3", "LC-TDG-01", 3);
        var first = await RollupAsync(app.Admin, "2024Q3/LC");

        await FileAsync(app, "2024Q3", "LC-TDG-02", 5);
        var second = await RollupAsync(app.Admin, "2024Q3/LC");
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsync(Q3 + "/LC-TDG-01/return", HttpJson.Body("""{"reason": "Sửa số văn bản"}"""), Ct)).StatusCode);
        var returned = await RollupAsync(app.Admin, "2024Q3/LC");
        await FileAsync(app, "2024Q3", "LC-TDG-01", 4);
        var resubmitted = await RollupAsync(app.Admin, "2024Q3/LC");

        Assert.Equal((3m, 8m, 5m, 9m), (Docs(first), Docs(second), Docs(returned), Docs(resubmitted)));
        Assert.Equal(4, new[] { first, second, returned, resubmitted }.Select(r => r.GetProperty("changeStamp").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task ABurstOfReadsAfterAChangeRecomputesOnceAndAnUnchangedSnapshotIsNotDownloadedAgain()
    {
        await using var app = new ReportingApp(azurite);
        var service = app.Factory.Services.GetRequiredService<RollupService>();
        await FileAsync(app, "2024Q3", "LC-TDG-01", 3);
        var before = await RollupAsync(app.Admin, "2024Q3/LC");
        await FileAsync(app, "2024Q3", "LC-TDG-02", 5);
        var computed = Computations(app, "2024Q3");

        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => RollupAsync(app.Admin, "2024Q3/LC-TDG")));
        var held = await service.ReadAsync("QCDC-Q", Period.Quarter(2024, 3), Ct);
        var again = await service.ReadAsync("QCDC-Q", Period.Quarter(2024, 3), Ct);

        Assert.Equal(3m, Docs(before));
        Assert.All(burst, r => Assert.Equal(8m, Docs(r)));
        Assert.Equal(computed + 1, Computations(app, "2024Q3"));
        Assert.Same(held.Snapshot, again.Snapshot); // the blob answered 304: the copy in memory is used
    }

    [Fact]
    public async Task WhenTheRecomputationFailsTheLastSnapshotIsAnsweredMarkedStale()
    {
        var failing = false;
        await using var app = new ReportingApp(azurite, configure: f => f.WithServices(s => s.Replace(ServiceDescriptor.Singleton(sp =>
            ScanThatCanFail(sp, () => failing)))));
        await FileAsync(app, "2024Q3", "LC-TDG-01", 3);
        var fresh = await RollupAsync(app.Admin, "2024Q3/LC-TDG");
        await FileAsync(app, "2024Q3", "LC-TDG-02", 5);

        failing = true;
        var stale = await RollupAsync(app.Admin, "2024Q3/LC-TDG");
        var noSnapshotYet = await app.Admin.GetAsync("/api/rollups/QCDC-Q/2024Q2/LC-TDG", Ct);
        failing = false;
        var recovered = await RollupAsync(app.Admin, "2024Q3/LC-TDG");

        Assert.Equal((3m, false), (Docs(fresh), fresh.GetProperty("stale").GetBoolean()));
        Assert.Equal((3m, true), (Docs(stale), stale.GetProperty("stale").GetBoolean()));
        Assert.Equal(fresh.GetProperty("changeStamp").GetString(), stale.GetProperty("changeStamp").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, noSnapshotYet.StatusCode);
        Assert.Equal((8m, false), (Docs(recovered), recovered.GetProperty("stale").GetBoolean()));
    }

    /// <summary>The submissions table as the app uses it, except that the rollup's scan can meet a throttling storage on demand.</summary>
    internal static SubmissionStore ScanThatCanFail(IServiceProvider services, Func<bool> failing)
    {
        var real = services.GetRequiredService<TableServiceClient>();
        var names = services.GetRequiredService<StorageNames>();
        var table = real.GetTableClient(names.Table(StorageNames.SubmissionsTable));
        var seam = new Mock<TableClient>();
        seam.Setup(t => t.GetEntityIfExistsAsync<TableEntity>(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .Returns((string pk, string rk, IEnumerable<string> select, CancellationToken ct) => table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select, ct));
        seam.Setup(t => t.QueryAsync<TableEntity>(It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .Returns((string filter, int? page, IEnumerable<string> select, CancellationToken ct) => failing() && select?.Contains("Values") == true
                ? throw new RequestFailedException(503, "The server is busy.", "ServerBusy", null)
                : table.QueryAsync<TableEntity>(filter, page, select, ct));
        seam.Setup(t => t.SubmitTransactionAsync(It.IsAny<IEnumerable<TableTransactionAction>>(), It.IsAny<CancellationToken>()))
            .Returns((IEnumerable<TableTransactionAction> actions, CancellationToken ct) => table.SubmitTransactionAsync(actions, ct));
        var tables = new Mock<TableServiceClient>();
        tables.Setup(t => t.GetTableClient(It.IsAny<string>())).Returns(seam.Object);
        return new SubmissionStore(tables.Object, names, services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task ABackFillInALockedQuarterReachesTheQuarterItsYearAndItsFiveYearWindow()
    {
        // 20 Dec 2025 in Vietnam: 2025Q1 locked long ago; only an administrator may still write to it.
        await using var app = new ReportingApp(azurite, new DateTimeOffset(2025, 12, 20, 3, 0, 0, TimeSpan.Zero));
        await FileAsync(app, "2025Q1", "LC-TDG-01", 10);
        var before = new[] { await RollupAsync(app.Admin, "2025Q1/LC"), await RollupAsync(app.Admin, "2025/LC"), await RollupAsync(app.Admin, "2021-2025/LC") };

        await FileAsync(app, "2025Q1", "LC-TDG-06", 4); // back-filled: Bình Lư's report arrived after the lock
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsync("/api/submissions/QCDC-Q/2025Q1/LC-TDG-01/return", HttpJson.Body("""{"reason": "Sửa số liệu"}"""), Ct)).StatusCode);
        await FileAsync(app, "2025Q1", "LC-TDG-01", 12); // corrected and submitted again
        var after = new[] { await RollupAsync(app.Admin, "2025Q1/LC"), await RollupAsync(app.Admin, "2025/LC"), await RollupAsync(app.Admin, "2021-2025/LC") };

        Assert.All(before, r => Assert.Equal(10m, Docs(r)));
        Assert.All(after, r => Assert.Equal(16m, Docs(r)));
        Assert.True(before[0].GetProperty("final").GetBoolean());
        Assert.True(after[0].GetProperty("final").GetBoolean()); // final: closed for reporters, its totals still follow corrections
        Assert.False(after[1].GetProperty("final").GetBoolean());
    }

    [Fact]
    public async Task AUnitImportAndANewFormVersionMakeTheRollupStale()
    {
        await using var app = new ReportingApp(azurite);
        var before = await RollupAsync(app.Admin, "2024Q3/LC-TDG");
        var import = await app.Admin.PostAsync("/api/manage/units", HttpJson.Body(
            """{"units":[{"code":"LC-TDG-NEW","name":"Xã Mới","kind":"commune","parent":"LC-TDG","validFrom":"2024-01-01","validTo":"2025-06-30"}]}"""), Ct);
        var afterImport = await RollupAsync(app.Admin, "2024Q3/LC-TDG");
        var form = JsonNode.Parse(File.ReadAllText(Path.Combine(AzuriteFixture.RepositoryRoot, "seeds", "forms.json")))!["forms"]!.AsArray()
            .First(f => f!["code"]!.GetValue<string>() == "QCDC-Q")!.DeepClone();
        form["effectiveFrom"] = "2024Q3";
        form["indicators"]!.AsArray().Add(new JsonObject
        {
            ["code"] = "villages_with_covenants",
            ["label"] = "Thôn có hương ước, quy ước",
            ["unit"] = "thôn",
            ["type"] = "integer",
            ["acrossHierarchy"] = "sum",
            ["overTime"] = "last",
        });
        var published = await app.Admin.PostAsync("/api/manage/forms", HttpJson.Body(form.ToJsonString()), Ct);
        var afterPublish = await RollupAsync(app.Admin, "2024Q3/LC-TDG");
        await FileAsync(app, "2024Q3", "LC-TDG-01", 3);
        var url = "/api/submissions/QCDC-Q/2024Q3/LC-TDG-02";
        Assert.Equal(HttpStatusCode.Created, (await app.Admin.SendAsync(Put(url, """{"docs_issued": 1, "receptions": 2, "dialogues": {"district": 0, "commune": 1}, "villages_with_covenants": 7, "narrative_results": "Tốt"}"""), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsync(url + "/submit", null, Ct)).StatusCode);
        var withNewIndicator = await RollupAsync(app.Admin, "2024Q3/LC-TDG");

        Assert.True(import.StatusCode == HttpStatusCode.OK, await import.Content.ReadAsStringAsync(Ct));
        Assert.Equal(before.GetProperty("completeness").GetProperty("expected").GetInt32() + 1, afterImport.GetProperty("completeness").GetProperty("expected").GetInt32());
        Assert.Contains("LC-TDG-NEW", afterImport.GetProperty("completeness").GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        Assert.Equal(3, new[] { before, afterImport, afterPublish }.Select(r => r.GetProperty("changeStamp").GetString()).Distinct().Count());
        Assert.Equal(7, withNewIndicator.GetProperty("values").GetProperty("villages_with_covenants").GetInt32());
        Assert.Equal(4m, Docs(withNewIndicator));
    }

    [Fact]
    public async Task AUnitOutsideThePeriodIs404SayingWhenItExistedAndWhatItBecame()
    {
        await using var app = new ReportingApp(azurite, new DateTimeOffset(2025, 12, 20, 3, 0, 0, TimeSpan.Zero));
        var vietnamese = app.Admin;
        vietnamese.DefaultRequestHeaders.AcceptLanguage.ParseAdd("vi");

        var merged = await app.Admin.GetAsync("/api/rollups/QCDC-Q/2024Q3/LC-X-BINHLU", Ct);
        var ended = await vietnamese.GetAsync("/api/rollups/QCDC-Q/2025Q4/LC-TDG-08", Ct);
        var endedInYear = await app.Admin.GetAsync("/api/rollups/QCDC-Q/2025/LC-TDG-08", Ct);

        Assert.Equal(HttpStatusCode.NotFound, merged.StatusCode);
        var problem = await merged.ReadJsonAsync();
        Assert.Equal("Unit LC-X-BINHLU did not exist in 2024Q3: it exists from 2025-07-01. It was formed from: LC-TDG-01, LC-TDG-06, LC-TDG-08.", problem.GetProperty("detail").GetString());
        Assert.Equal(["LC-TDG-01", "LC-TDG-06", "LC-TDG-08"], problem.GetProperty("unit").GetProperty("predecessors").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, ended.StatusCode);
        var endedProblem = await ended.ReadJsonAsync();
        Assert.Equal("Đơn vị LC-TDG-08 không tồn tại trong kỳ 2025Q4: đơn vị tồn tại từ 2008-01-01 đến 2025-06-30. Đơn vị kế thừa: LC-X-BINHLU, LC-X-SONBINH.",
            endedProblem.GetProperty("detail").GetString());
        Assert.Equal("2025-06-30", endedProblem.GetProperty("unit").GetProperty("validTo").GetString());
        Assert.Equal(HttpStatusCode.OK, endedInYear.StatusCode); // it existed in the first half of 2025
    }

    [Theory]
    [InlineData("/api/rollups/QCDC-Q/2030Q1/LC", HttpStatusCode.NotFound, "has not begun")]
    [InlineData("/api/rollups/QCDC-Q/2024Q5/LC", HttpStatusCode.BadRequest, "A period is written like 2026Q4")]
    [InlineData("/api/rollups/NOPE/2024Q3/LC", HttpStatusCode.NotFound, "There is no form NOPE")]
    [InlineData("/api/rollups/QCDC-Q/2024Q3/LC-NOPE", HttpStatusCode.NotFound, "There is no unit LC-NOPE")]
    [InlineData("/api/completeness/QCDC-Q/2030/LC", HttpStatusCode.NotFound, "has not begun")]
    public async Task ClearAnswersAtTheEdges(string url, HttpStatusCode status, string detail)
    {
        await using var app = new ReportingApp(azurite);
        var response = await app.Admin.GetAsync(url, Ct);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(detail, (await response.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherDistrictsReviewerIsRefused()
    {
        await using var app = new ReportingApp(azurite);
        var other = await app.ReviewerAsync("LC-TUY");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/rollups/QCDC-Q/2024Q3/LC-TDG", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/completeness/QCDC-Q/2024Q3/LC-TDG", Ct)).StatusCode);
    }

    [Fact]
    public async Task TheCompletenessListingGivesEveryExpectedUnitItsStatusAndTheRatesPerChild()
    {
        await using var app = new ReportingApp(azurite, new DateTimeOffset(2024, 9, 20, 3, 0, 0, TimeSpan.Zero)); // communes were due on 16 Sept
        await FileAsync(app, "2024Q3", "LC-TDG-01", 3);
        await FileAsync(app, "2024Q3", "LC-TDG-02", 5, submit: false);
        var reviewer = await app.ReviewerAsync("LC");
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsync(Q3 + "/LC-TDG-01/approve", null, Ct)).StatusCode);

        var response = await reviewer.GetAsync("/api/completeness/QCDC-Q/2024Q3/LC", Ct);
        var listing = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var units = listing.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("unit").GetString()!);
        Assert.Equal("approved", units["LC-TDG-01"].GetProperty("status").GetString());
        Assert.True(units["LC-TDG-01"].GetProperty("late").GetBoolean());
        Assert.Equal("draft", units["LC-TDG-02"].GetProperty("status").GetString());
        Assert.Equal("missing", units["LC-TDG-03"].GetProperty("status").GetString());
        Assert.Equal("Thị trấn Tam Đường", units["LC-TDG-01"].GetProperty("name").GetString());
        Assert.Equal("commune", units["LC-TDG-01"].GetProperty("kind").GetString());
        var total = listing.GetProperty("total");
        Assert.Equal((units.Count, 1, 0), (total.GetProperty("expected").GetInt32(), total.GetProperty("reported").GetInt32(), total.GetProperty("onTime").GetInt32()));
        var district = listing.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("unit").GetString() == "LC-TDG");
        Assert.Equal((15, 1, 0.0667m), (district.GetProperty("expected").GetInt32(), district.GetProperty("reported").GetInt32(), district.GetProperty("rate").GetDecimal()));
    }

    [Fact]
    public async Task AProvinceWithFiveThousandMissingUnitsIsAnsweredWhole()
    {
        await using var app = new ReportingApp(azurite);
        var communes = Enumerable.Range(1, 5_000).Select(i => $$"""{"code":"LC-M-{{i:D4}}","name":"Xã {{i}}","kind":"commune","parent":"LC","validFrom":"2008-01-01"}""");
        var import = await app.Admin.PostAsync("/api/manage/units", HttpJson.Body($$"""{"units":[{{string.Join(",", communes)}}]}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);

        var province = await RollupAsync(app.Admin, "2024Q3/LC");
        var listing = await (await app.Admin.GetAsync("/api/completeness/QCDC-Q/2024Q3/LC", Ct)).ReadJsonAsync();

        var missing = province.GetProperty("completeness").GetProperty("missing").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.True(missing.Count > 5_000, $"{missing.Count} missing");
        Assert.Contains("LC-M-5000", missing);
        Assert.Equal(missing.Count, listing.GetProperty("units").EnumerateArray().Count(u => u.GetProperty("status").GetString() == "missing"));
    }
}
