using System.Net;
using DocumentFormat.OpenXml.Packaging;
using Qcdc.Tests.Infrastructure;
using static Qcdc.Tests.Exports.OpenXmlFiles;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Submissions;

/// <summary>
/// What a reviewer who must trust the figures relies on, through the HTTP pipeline: a value far from the unit's own
/// quarters or outside the bounds set for its kind is a warning naming the expected range; a reviewer marks it
/// "cần kiểm tra lại" with a comment, the clerk answers, both in the history; the desk counts errors, warnings and
/// open follow-ups; the rollup workbook lists every check and the completeness counts the values filled.
/// </summary>
public sealed class ChecksAndFollowUpsTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Report = Q3 + "/LC-TDG-01";

    /// <summary>
    /// Five earlier quarters of the commune, approved (written by an admin: they are locked), around five documents each,
    /// and their rollups computed (the outlier tests read the unit's earlier quarters from them, as the nightly timer leaves them).
    /// </summary>
    private static async Task EarlierQuartersAsync(ReportingApp app)
    {
        foreach (var (quarter, documents) in new[] { ("2023Q2", 5), ("2023Q3", 4), ("2023Q4", 5), ("2024Q1", 6), ("2024Q2", 5) })
        {
            var url = $"/api/submissions/QCDC-Q/{quarter}/LC-TDG-01";
            var values = Complete.Replace("\"docs_issued\": 3", $"\"docs_issued\": {documents}", StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Created, (await app.Admin.SendAsync(Put(url, values), Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsync(url + "/submit", null, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsync(url + "/approve", null, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsync("/api/manage/rollups/run", HttpJson.Body($$"""{"form":"QCDC-Q","period":"{{quarter}}"}"""), Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task AnOutlierIsAWarningAReviewerMarksForFollowUpAndTheClerkAnswersItAllInTheHistory()
    {
        await using var app = new ReportingApp(azurite);
        await EarlierQuartersAsync(app);
        var reporter = await app.ReporterAsync();
        reporter.DefaultRequestHeaders.AcceptLanguage.ParseAdd("vi");

        var saved = await (await reporter.SendAsync(Put(Report, Complete.Replace("\"docs_issued\": 3", "\"docs_issued\": 60", StringComparison.Ordinal)), Ct)).ReadJsonAsync();
        var outlier = Assert.Single(saved.GetProperty("checks").EnumerateArray(), c => c.GetProperty("kind").GetString() == "outlier");
        Assert.Equal(("outlier:docs_issued", "warning"), (outlier.GetProperty("rule").GetString(), outlier.GetProperty("severity").GetString()));
        Assert.Equal("Văn bản lãnh đạo, chỉ đạo ban hành: 60 khác xa 5 quý trước của đơn vị (thường từ 3 đến 7); đề nghị kiểm tra lại.",
            outlier.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await reporter.PostAsync(Report + "/submit", null, Ct)).StatusCode); // warnings never block

        var reviewer = await app.ReviewerAsync();
        var unknown = await reviewer.PostAsync(Report + "/follow-ups", HttpJson.Body("""{"rule": "outlier:receptions", "comment": "?"}"""), Ct);
        var byReporter = await reporter.PostAsync(Report + "/follow-ups", HttpJson.Body("""{"rule": "outlier:docs_issued", "comment": "?"}"""), Ct);
        var raised = await reviewer.PostAsync(Report + "/follow-ups",
            HttpJson.Body("""{"rule": "outlier:docs_issued", "comment": "60 văn bản trong một quý là nhiều bất thường, đề nghị xã kiểm tra lại."}"""), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byReporter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        var followUp = Assert.Single((await raised.ReadJsonAsync()).GetProperty("followUps").EnumerateArray());
        Assert.Equal(["docs_issued"], followUp.GetProperty("cells").EnumerateArray().Select(c => c.GetString()));
        var desk = await (await reviewer.GetAsync("/api/submissions/QCDC-Q/2024Q3?under=LC-TDG", Ct)).ReadJsonAsync();
        var row = Assert.Single(desk.GetProperty("items").EnumerateArray(), r => r.GetProperty("unit").GetString() == "LC-TDG-01");
        Assert.Equal((0, 1, 1), (row.GetProperty("errors").GetInt32(), row.GetProperty("warnings").GetInt32(), row.GetProperty("openFollowUps").GetInt32()));

        var answered = await reporter.PostAsync($"{Report}/follow-ups/{followUp.GetProperty("id").GetString()}/answer",
            HttpJson.Body("""{"comment": "Quý này xã ban hành nhiều văn bản triển khai nghị quyết mới; số liệu đúng."}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var again = await reporter.PostAsync($"{Report}/follow-ups/{followUp.GetProperty("id").GetString()}/answer", HttpJson.Body("""{"comment": "Lần nữa"}"""), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);

        var history = (await (await reviewer.GetAsync(Report + "/history", Ct)).ReadJsonAsync()).GetProperty("revisions").EnumerateArray().ToList();
        Assert.Equal(["follow-up-raised", "follow-up-answered"], history.TakeLast(2).Select(r => r.GetProperty("action").GetString()));
        Assert.StartsWith("60 văn bản", history[^2].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Quý này xã ban hành", history[^1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        desk = await (await reviewer.GetAsync("/api/submissions/QCDC-Q/2024Q3?under=LC-TDG", Ct)).ReadJsonAsync();
        Assert.Equal(0, desk.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("unit").GetString() == "LC-TDG-01").GetProperty("openFollowUps").GetInt32());

        // The district's rollup workbook lists the check with its follow-up; the completeness counts the values filled.
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsync(Report + "/approve", null, Ct)).StatusCode);
        var bytes = await (await reviewer.GetAsync("/api/exports/QCDC-Q/2024Q3/LC-TDG.xlsx", Ct)).Content.ReadAsByteArrayAsync(Ct);
        using var book = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var checks = Sheet(book, "Kiểm tra số liệu");
        var line = RowWith(book, checks, "A", "LC-TDG-01");
        Assert.Equal(("Cảnh báo", "Bất thường", "outlier:docs_issued", "Văn bản lãnh đạo, chỉ đạo ban hành"),
            (Text(book, line["D"]), Text(book, line["E"]), Text(book, line["F"]), Text(book, line["G"])));
        Assert.Contains("khác xa 5 quý trước", Text(book, line["H"]), StringComparison.Ordinal);
        Assert.Contains("Trả lời: Quý này xã", Text(book, line["I"]), StringComparison.Ordinal);
        var completeness = await (await reviewer.GetAsync("/api/completeness/QCDC-Q/2024Q3/LC-TDG", Ct)).ReadJsonAsync();
        var total = completeness.GetProperty("total");
        // 15 units expected, each the numbers its kind is asked (of the form's 37 — values, categories, both sides of
        // ratios): 13 communes 28 (no agency, enterprise or provincial items), the district 22 (no commune-only NTM
        // items either), its agency 15 (no citizens' reception, donations or NTM); one report of four numbers.
        Assert.Equal((13 * 28 + 22 + 15, 4), (total.GetProperty("valuesExpected").GetInt32(), total.GetProperty("valuesFilled").GetInt32()));
    }

    [Fact]
    public async Task BoundsAnAdminSetsForAUnitKindMakeAValueOutsideThemAWarning()
    {
        await using var app = new ReportingApp(azurite);
        var refused = await app.Admin.PutAsync("/api/manage/forms/QCDC-Q/bounds",
            HttpJson.Body("""{"commune": {"receptions": {"min": 5, "max": 1}, "narrative_results": {"max": 3}}, "village": {"receptions": {"max": 3}}}"""), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(3, (await refused.ReadJsonAsync()).GetProperty("errors").GetArrayLength());

        var set = await app.Admin.PutAsync("/api/manage/forms/QCDC-Q/bounds", HttpJson.Body("""{"commune": {"receptions": {"max": 10}}}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(10, (await (await app.Admin.GetAsync("/api/manage/forms/QCDC-Q/bounds", Ct)).ReadJsonAsync())
            .GetProperty("commune").GetProperty("receptions").GetProperty("max").GetInt32());
        var reporter = await app.ReporterAsync();
        reporter.DefaultRequestHeaders.AcceptLanguage.ParseAdd("vi");

        var saved = await (await reporter.SendAsync(Put(Report, Complete.Replace("\"receptions\": 2", "\"receptions\": 30", StringComparison.Ordinal)), Ct)).ReadJsonAsync();

        var check = Assert.Single(saved.GetProperty("checks").EnumerateArray());
        Assert.Equal("bounds:receptions", check.GetProperty("rule").GetString());
        Assert.Equal("Cuộc tiếp công dân của người đứng đầu: 30 nằm ngoài khoảng đặt cho loại đơn vị Xã (từ … đến 10).", check.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.PutAsync("/api/manage/forms/QCDC-Q/bounds", HttpJson.Body("{}"), Ct)).StatusCode);
    }
}
