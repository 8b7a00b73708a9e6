using System.Net;
using System.Text;
using Qcdc.Tests.Infrastructure;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Submissions;

/// <summary>
/// Past years in: the rollup export's CSV and a DHIS2 data value set become reports, checked whole first (every problem
/// by row and column at once), each written in one commit with "imported from the file … by …", and the same file
/// twice writes nothing.
/// </summary>
public sealed class ReportImportTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Import = "/api/manage/imports/QCDC-Q/2024Q3";

    private static HttpContent Csv(string text) => new StringContent(text, Encoding.UTF8, "text/csv");

    [Fact]
    public async Task AProvincesExportGoesIntoAnotherInstallationAsApprovedReportsOnceAndOnlyOnce()
    {
        // One installation: two communes report, the district's CSV is exported.
        string csv;
        await using (var source = new ReportingApp(azurite))
        {
            var reporter = await source.ReporterAsync();
            Assert.True((await reporter.SendAsync(Put(Q3 + "/LC-TDG-01", Complete), Ct)).IsSuccessStatusCode);
            Assert.True((await reporter.PostAsync(Q3 + "/LC-TDG-01/submit", null, Ct)).IsSuccessStatusCode);
            var other = await source.ReporterAsync("LC-TDG-02");
            Assert.True((await other.SendAsync(Put(Q3 + "/LC-TDG-02", """{"docs_issued": 5, "cadres_briefed": {"numerator": 40, "denominator": 50}, "narrative_results": "Đã làm."}"""), Ct)).IsSuccessStatusCode);
            Assert.True((await other.PostAsync(Q3 + "/LC-TDG-02/submit", null, Ct)).IsSuccessStatusCode);
            csv = await (await source.Admin.GetAsync("/api/exports/QCDC-Q/2024Q3/LC-TDG.csv", Ct)).Content.ReadAsStringAsync(Ct);
        }

        // Another: a dry run says what would be written, then the real run writes it.
        await using var app = new ReportingApp(azurite);
        var reviewer = await app.ReviewerAsync("LC");
        var dry = await reviewer.PostAsync(Import + "?fileName=so-lieu-2024.csv", Csv(csv), Ct);
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var plan = await dry.ReadJsonAsync();
        Assert.True(plan.GetProperty("dryRun").GetBoolean());
        Assert.Equal(0, plan.GetProperty("problems").GetArrayLength());
        Assert.Equal(["LC-TDG-01", "LC-TDG-02"], plan.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("unit").GetString()));
        Assert.All(plan.GetProperty("reports").EnumerateArray(), r => Assert.Equal("create", r.GetProperty("action").GetString()));
        Assert.Contains("LC-TDG", plan.GetProperty("skippedTotals").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin.GetAsync(Q3 + "/LC-TDG-01", Ct)).StatusCode);

        var real = await (await reviewer.PostAsync(Import + "?dryRun=false&fileName=so-lieu-2024.csv", Csv(csv), Ct)).ReadJsonAsync();
        Assert.Equal(2, real.GetProperty("written").GetInt32());
        var report = await (await app.Admin.GetAsync(Q3 + "/LC-TDG-02", Ct)).ReadJsonAsync();
        Assert.Equal("approved", report.GetProperty("status").GetString());
        Assert.Equal(5, report.GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.Equal(40, report.GetProperty("values").GetProperty("cadres_briefed").GetProperty("numerator").GetInt32());
        Assert.Equal("Đã làm.", report.GetProperty("values").GetProperty("narrative_results").GetString()); // the CSV carries the narratives too
        var history = await (await app.Admin.GetAsync(Q3 + "/LC-TDG-02/history", Ct)).ReadJsonAsync();
        var last = history.GetProperty("revisions")[0];
        Assert.Equal("imported", last.GetProperty("action").GetString());
        Assert.Contains("so-lieu-2024.csv", last.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var rollup = await (await app.Admin.GetAsync("/api/rollups/QCDC-Q/2024Q3/LC-TDG", Ct)).ReadJsonAsync();
        Assert.Equal(8, rollup.GetProperty("values").GetProperty("docs_issued").GetInt32());

        var again = await (await reviewer.PostAsync(Import + "?dryRun=false&fileName=so-lieu-2024.csv", Csv(csv), Ct)).ReadJsonAsync();
        Assert.Equal(0, again.GetProperty("written").GetInt32());
        Assert.All(again.GetProperty("reports").EnumerateArray(), r => Assert.Equal("unchanged", r.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task EveryProblemIsNamedByRowAndColumnAtOnceAndARealRunWithProblemsWritesNothing()
    {
        await using var app = new ReportingApp(azurite);
        const string file = "unit_code,unit_name,indicator_code,label,category,value,numerator,denominator\r\n"
            + "LC-TDG-01,Xã,docs_issued,,,4,,\r\n"
            + "LC-NOPE,Xã,docs_issued,,,4,,\r\n"
            + "LC-TDG-02,Xã,no_such_thing,,,4,,\r\n"
            + "LC-TDG-03,Xã,docs_issued,,,bốn,,\r\n"
            + "LC-TDG-01,Xã,docs_issued,,,5,,\r\n"
            + "LC-TDG-04,Xã,dialogues,,province,1,,\r\n";
        var before = await StorageSnapshot.TakeAsync(app.Factory, Ct);

        var plan = await (await app.Admin.PostAsync(Import, Csv(file), Ct)).ReadJsonAsync();
        var problems = plan.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("row").GetInt32(), p.GetProperty("column").GetString())).ToList();
        Assert.Equal([(3, "unit"), (4, "value"), (5, "value"), (6, "value"), (7, "category")], problems);
        var refused = await app.Admin.PostAsync(Import + "?dryRun=false", Csv(file), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(5, (await refused.ReadJsonAsync()).GetProperty("errors").GetArrayLength());
        Assert.Equal(before, await StorageSnapshot.TakeAsync(app.Factory, Ct));
    }

    [Fact]
    public async Task ACommunesRowsAreCheckedAsACommuneFillsTheFormAndANotAskedCellMayBeZero()
    {
        await using var app = new ReportingApp(azurite);
        // 2024Q3 is the form's first version: "Dân vận khéo" models at the provincial level are asked of provincial bodies only.
        const string header = "unit_code,unit_name,indicator_code,label,category,value,numerator,denominator\r\n";
        const string commune = "LC-TDG-01,Xã,docs_issued,,,4,,\r\n"
            + "LC-TDG-01,Xã,dvk_models,,district,0,,\r\n"
            + "LC-TDG-01,Xã,dvk_models,,grassroots,2,,\r\n";

        var without = await (await app.Admin.PostAsync(Import, Csv(header + commune), Ct)).ReadJsonAsync();
        var withZero = await (await app.Admin.PostAsync(Import, Csv(header + commune + "LC-TDG-01,Xã,dvk_models,,province,0,,\r\n"), Ct)).ReadJsonAsync();
        var client = app.Admin;
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("vi");
        var withFigure = await (await client.PostAsync(Import, Csv(header + commune + "LC-TDG-01,Xã,dvk_models,,province,3,,\r\n"), Ct)).ReadJsonAsync();

        Assert.Equal(0, without.GetProperty("problems").GetArrayLength());
        Assert.Equal(0, withZero.GetProperty("problems").GetArrayLength());
        var problem = Assert.Single(withFigure.GetProperty("problems").EnumerateArray());
        Assert.Equal(5, problem.GetProperty("row").GetInt32());
        Assert.Contains("không áp dụng cho LC-TDG-01", problem.GetProperty("message").GetString(), StringComparison.Ordinal);

        var real = await (await app.Admin.PostAsync(Import + "?dryRun=false", Csv(header + commune + "LC-TDG-01,Xã,dvk_models,,province,0,,\r\n"), Ct)).ReadJsonAsync();
        Assert.Equal(1, real.GetProperty("written").GetInt32());
        var report = await (await app.Admin.GetAsync(Q3 + "/LC-TDG-01", Ct)).ReadJsonAsync();
        Assert.Equal(2, report.GetProperty("values").GetProperty("dvk_models").GetProperty("grassroots").GetInt32());
        Assert.False(report.GetProperty("values").GetProperty("dvk_models").TryGetProperty("province", out _));
    }

    [Fact]
    public async Task ADhis2DataValueSetBecomesReportsAndAReviewerImportsOnlyUnderTheirUnit()
    {
        await using var app = new ReportingApp(azurite);
        const string set = """
            {"dataSet": "QCDC-Q", "dataValues": [
              {"dataElement": "docs_issued", "period": "2024Q3", "orgUnit": "LC-TDG-03", "value": "7"},
              {"dataElement": "dialogues", "categoryOptionCombo": "commune", "period": "2024Q3", "orgUnit": "LC-TDG-03", "value": "2"},
              {"dataElement": "dialogues", "categoryOptionCombo": "district", "period": "2024Q3", "orgUnit": "LC-TDG-03", "value": "0"},
              {"dataElement": "cadres_briefed", "categoryOptionCombo": "numerator", "period": "2024Q3", "orgUnit": "LC-TDG-03", "value": "30"},
              {"dataElement": "cadres_briefed", "categoryOptionCombo": "denominator", "period": "2024Q3", "orgUnit": "LC-TDG-03", "value": "32"}
            ]}
            """;
        var district = await app.ReviewerAsync("LC-TDG");
        var written = await district.PostAsync(Import + "?dryRun=false&fileName=dhis2.json", new StringContent(set, Encoding.UTF8, "application/json"), Ct);
        Assert.True(written.StatusCode == HttpStatusCode.OK, await written.Content.ReadAsStringAsync(Ct));
        var report = await (await app.Admin.GetAsync(Q3 + "/LC-TDG-03", Ct)).ReadJsonAsync();
        Assert.Equal(7, report.GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.Equal(2, report.GetProperty("values").GetProperty("dialogues").GetProperty("commune").GetInt32());
        Assert.Equal(32, report.GetProperty("values").GetProperty("cadres_briefed").GetProperty("denominator").GetInt32());

        var sibling = await app.ReviewerAsync("LC-TUY");
        var outside = await (await sibling.PostAsync(Import, new StringContent(set, Encoding.UTF8, "application/json"), Ct)).ReadJsonAsync();
        Assert.All(outside.GetProperty("problems").EnumerateArray(), p => Assert.Equal("unit", p.GetProperty("column").GetString()));
        Assert.Equal(5, outside.GetProperty("problems").GetArrayLength());
        var reporter = await app.ReporterAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.PostAsync(Import, new StringContent(set, Encoding.UTF8, "application/json"), Ct)).StatusCode);

        // A locked quarter takes the back-fill right: the district's reviewer is told so by the dry run; an admin writes it.
        var locked = set.Replace("2024Q3", "2024Q1", StringComparison.Ordinal);
        var plan = await (await district.PostAsync("/api/manage/imports/QCDC-Q/2024Q1", new StringContent(locked, Encoding.UTF8, "application/json"), Ct)).ReadJsonAsync();
        Assert.Contains("2024Q1", plan.GetProperty("problems")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        var backfilled = await (await app.Admin.PostAsync("/api/manage/imports/QCDC-Q/2024Q1?dryRun=false", new StringContent(locked, Encoding.UTF8, "application/json"), Ct)).ReadJsonAsync();
        Assert.Equal(1, backfilled.GetProperty("written").GetInt32());
    }
}
