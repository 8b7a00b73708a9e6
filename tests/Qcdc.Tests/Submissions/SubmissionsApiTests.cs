using System.Net;
using Qcdc.Tests.Infrastructure;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Submissions;

public sealed class SubmissionsApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Url = Q3 + "/LC-TDG-01";

    [Fact]
    public async Task ADraftIsCreatedAndReadBackWithItsETag()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();

        var created = await reporter.SendAsync(Put(Url, Complete), Ct);
        var read = await reporter.GetAsync(Url, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        var body = await read.ReadJsonAsync();
        Assert.Equal("draft", body.GetProperty("status").GetString());
        Assert.Equal(3, body.GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.Equal(1, body.GetProperty("formVersion").GetInt32());
    }

    [Fact]
    public async Task UpdatingNeedsIfMatchAndAStaleOneIs412()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);

        var missing = await reporter.SendAsync(Put(Url, """{"docs_issued": 4}"""), Ct);
        var stale = await reporter.SendAsync(Put(Url, """{"docs_issued": 4}""", "\"7\""), Ct);
        var fresh = await reporter.SendAsync(Put(Url, """{"docs_issued": 4}""", "\"1\""), Ct);

        Assert.Equal(HttpStatusCode.PreconditionRequired, missing.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal("\"2\"", fresh.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task AnIfMatchListMatchesWhenAnyOfItsTagsIsCurrentAndAMalformedOneIs400()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);

        var malformed = await reporter.SendAsync(Put(Url, """{"docs_issued": 4}""", "1"), Ct);
        var weak = await reporter.SendAsync(Put(Url, """{"docs_issued": 4}""", "W/\"1\""), Ct);
        var listed = await reporter.SendAsync(Put(Url, """{"docs_issued": 4}""", "\"0\", \"1\""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("If-Match", await malformed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PreconditionFailed, weak.StatusCode); // If-Match compares strongly
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal("\"2\"", listed.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task TheSameIdempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherBody()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();

        var first = await reporter.SendAsync(Put(Url, Complete, idempotencyKey: "retry-1"), Ct);
        var again = await reporter.SendAsync(Put(Url, Complete, idempotencyKey: "retry-1"), Ct);
        var other = await reporter.SendAsync(Put(Url, """{"docs_issued": 9}""", idempotencyKey: "retry-1"), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await again.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        var history = await (await reporter.GetAsync(Url + "/history", Ct)).ReadJsonAsync();
        Assert.Equal(1, history.GetProperty("revisions").GetArrayLength());
    }

    [Fact]
    public async Task TheWorkflowRunsFromDraftToApprovedAndBackThroughReturn()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        var reviewer = await app.ReviewerAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);

        var submitted = await reporter.PostAsync(Url + "/submit", null, Ct);
        var approved = await reviewer.PostAsync(Url + "/approve", null, Ct);
        var blocked = await reporter.SendAsync(Put(Url, """{"docs_issued": 4}""", "\"3\""), Ct);
        var returned = await reviewer.PostAsync(Url + "/return", HttpJson.Body("""{"reason":"Thiếu số liệu đối thoại"}"""), Ct);
        var edited = await reporter.SendAsync(Put(Url, Complete.Replace("\"docs_issued\": 3", "\"docs_issued\": 5", StringComparison.Ordinal), "\"4\""), Ct);

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Equal("submitted", (await submitted.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal("approved", (await approved.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
        var returnedBody = await returned.ReadJsonAsync();
        Assert.Equal("returned", returnedBody.GetProperty("status").GetString());
        Assert.Equal("Thiếu số liệu đối thoại", returnedBody.GetProperty("returnReason").GetString());
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("draft", (await edited.ReadJsonAsync()).GetProperty("status").GetString());

        var history = (await (await reporter.GetAsync(Url + "/history", Ct)).ReadJsonAsync()).GetProperty("revisions").EnumerateArray().ToList();
        Assert.Equal(["created", "submitted", "approved", "returned", "updated"], history.Select(r => r.GetProperty("action").GetString()));
        Assert.Equal(["docs_issued"], history[4].GetProperty("changed").EnumerateArray().Select(c => c.GetString()));
        Assert.NotEqual(history[0].GetProperty("by").GetProperty("keyId").GetString(), history[2].GetProperty("by").GetProperty("keyId").GetString());
    }

    [Fact]
    public async Task ReturningNeedsAReason()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);
        await reporter.PostAsync(Url + "/submit", null, Ct);

        var response = await (await app.ReviewerAsync()).PostAsync(Url + "/return", HttpJson.Body("{}"), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task SubmittingWithoutARequiredIndicatorNamesIt()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, """{"docs_issued": 3}"""), Ct);

        var response = await reporter.PostAsync(Url + "/submit", null, Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = (await response.ReadJsonAsync()).GetProperty("errors")[0];
        Assert.Equal("narrative_results", error.GetProperty("code").GetString());
        Assert.Equal("Kết quả", error.GetProperty("label").GetString());
        Assert.Equal("draft", (await (await reporter.GetAsync(Url, Ct)).ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task SubmittingAfterTheDeadlineIsMarkedLateWithTheTimeOfTheClock()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);
        app.Clock.SetUtcNow(new DateTimeOffset(2024, 9, 17, 2, 0, 0, TimeSpan.Zero)); // communes were due on 16 Sept

        var body = await (await reporter.PostAsync(Url + "/submit", null, Ct)).ReadJsonAsync();

        Assert.True(body.GetProperty("late").GetBoolean());
        Assert.Equal(new DateTimeOffset(2024, 9, 17, 2, 0, 0, TimeSpan.Zero), body.GetProperty("submittedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task SubmittingByTheDeadlineIsOnTime()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);
        app.Clock.SetUtcNow(new DateTimeOffset(2024, 9, 16, 16, 0, 0, TimeSpan.Zero)); // 23:00 on 16 Sept in Vietnam

        Assert.False((await (await reporter.PostAsync(Url + "/submit", null, Ct)).ReadJsonAsync()).GetProperty("late").GetBoolean());
    }

    [Fact]
    public async Task ALockedPeriodRefusesTheReporterButAnAdminBackFillIsRecorded()
    {
        await using var app = new ReportingApp(azurite, new DateTimeOffset(2024, 12, 1, 3, 0, 0, TimeSpan.Zero));
        var reporter = await app.ReporterAsync();

        var refused = await reporter.SendAsync(Put(Url, Complete), Ct);
        var backfilled = await app.Admin.SendAsync(Put(Url, Complete), Ct);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("2024-10-25", (await refused.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Created, backfilled.StatusCode);
        var history = await (await app.Admin.GetAsync(Url + "/history", Ct)).ReadJsonAsync();
        Assert.True(history.GetProperty("revisions")[0].GetProperty("backfill").GetBoolean());
    }

    [Theory]
    [InlineData("/api/submissions/QCDC-Q/2024/LC-TDG-01", "period", HttpStatusCode.UnprocessableEntity)]
    [InlineData("/api/submissions/QCDC-Q/2024Q9/LC-TDG-01", "period", HttpStatusCode.BadRequest)] // not a period at all
    [InlineData("/api/submissions/QCDC-Q/2025Q2/LC-TDG-01", "period", HttpStatusCode.UnprocessableEntity)]
    [InlineData("/api/submissions/QCDC-Q/2025Q3/LC-TDG-01", "unit", HttpStatusCode.UnprocessableEntity)]
    public async Task PeriodAndUnitProblemsAreRefusedWithNothingWritten(string url, string field, HttpStatusCode status)
    {
        await using var app = new ReportingApp(azurite, new DateTimeOffset(2024, 12, 20, 3, 0, 0, TimeSpan.Zero));
        var response = await app.Admin.SendAsync(Put(url, Complete), Ct);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(field, (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(status == HttpStatusCode.BadRequest ? status : HttpStatusCode.NotFound, (await app.Admin.GetAsync(url, Ct)).StatusCode);
    }

    [Fact]
    public async Task AFormNotApplicableToTheUnitsKindIsRefused()
    {
        await using var app = new ReportingApp(azurite);
        var response = await app.Admin.SendAsync(Put("/api/submissions/QCDC-5Y/2021-2025/LC-CHE", """{"docs_issued": 1}"""), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("private-enterprise", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task BadValuesAreRefusedWithEveryFieldAndNothingIsWritten()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        reporter.DefaultRequestHeaders.AcceptLanguage.ParseAdd("vi");

        var response = await reporter.SendAsync(Put(Url, """{"docs_issued": -1, "receptions": 1.5, "bogus": 2}"""), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal(3, problem.GetProperty("errors").GetArrayLength());
        Assert.StartsWith("Không lưu được giá trị nào: 3 lỗi", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await reporter.GetAsync(Url, Ct)).StatusCode);
    }

    [Fact]
    public async Task ADraftSavesWhatWasTypedCorrectlyAndNamesTheRestWithEveryCheckAtOnce()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        reporter.DefaultRequestHeaders.AcceptLanguage.ParseAdd("vi");
        var first = await reporter.SendAsync(Put(Url, """{"docs_issued": 3, "receptions": 2}"""), Ct);

        var response = await reporter.SendAsync(Put(Url, """
            {"docs_issued": 5, "receptions": -1, "complaints_received": 2, "complaints_resolved": 3,
             "cadres_briefed": {"numerator": 60, "denominator": 50}, "land_households": 4}
            """, "\"1\""), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.ReadJsonAsync();
        var values = report.GetProperty("values");
        Assert.Equal(5, values.GetProperty("docs_issued").GetInt32());
        Assert.Equal(2, values.GetProperty("receptions").GetInt32()); // the refused field keeps what it held
        Assert.Equal(60, values.GetProperty("cadres_briefed").GetProperty("numerator").GetInt32());
        var refused = Assert.Single(report.GetProperty("refused").EnumerateArray());
        Assert.Equal("values.receptions", refused.GetProperty("field").GetString());
        Assert.Contains("âm", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        var checks = report.GetProperty("checks").EnumerateArray().Select(c => (c.GetProperty("rule").GetString(), c.GetProperty("severity").GetString())).ToList();
        Assert.Equal([("complaints-resolved", "error"), ("land-pair", "warning"), ("cadres-briefed-ratio", "error")], checks);
        Assert.StartsWith("Số đơn thư đã giải quyết không vượt quá", report.GetProperty("checks")[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        // The read answers the same checks; submitting is refused with every error at once; warnings never block.
        var read = await (await reporter.GetAsync(Url, Ct)).ReadJsonAsync();
        Assert.Equal(3, read.GetProperty("checks").GetArrayLength());
        var submit = await reporter.PostAsync(Url + "/submit", null, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, submit.StatusCode);
        var blocking = (await submit.ReadJsonAsync()).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()).ToList();
        Assert.Contains("complaints-resolved", blocking);
        Assert.Contains("cadres-briefed-ratio", blocking);
        Assert.DoesNotContain("land-pair", blocking);

        var fixedUp = await reporter.SendAsync(Put(Url, """
            {"docs_issued": 5, "receptions": 2, "complaints_received": 3, "complaints_resolved": 3, "cadres_briefed": {"numerator": 50, "denominator": 50},
             "land_households": 4, "dialogues": {"district": 0, "commune": 1}, "narrative_results": "Đã làm."}
            """, "\"2\""), Ct);
        Assert.Equal("land-pair", Assert.Single((await fixedUp.ReadJsonAsync()).GetProperty("checks").EnumerateArray()).GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.OK, (await reporter.PostAsync(Url + "/submit", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task AnOversizedBodyIs413AndMalformedJsonIs400()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();

        var huge = await reporter.SendAsync(Put(Url, $$"""{"narrative_results": "{{new string('x', 300_000)}}"}"""), Ct);
        var malformed = await reporter.PutAsync(Url, HttpJson.Body("""{"values": {"docs_issued": 1"""), Ct);
        var shape = await reporter.PutAsync(Url, HttpJson.Body("""{"docs_issued": 1}"""), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, shape.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reporter.GetAsync(Url, Ct)).StatusCode);
    }

    [Fact]
    public async Task AnAcceptedWriteMarksItsFormAndPeriodAsChanged()
    {
        await using var app = new ReportingApp(azurite);
        await (await app.ReporterAsync()).SendAsync(Put(Url, Complete), Ct);

        var markers = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Qcdc.Submissions.SubmissionStore>(app.Factory.Services);

        Assert.Equal(app.Clock.GetUtcNow(), (await markers.LastChangeAsync("QCDC-Q", "2024Q3", Ct))?.ChangedAt);
        Assert.Null(await markers.LastChangeAsync("QCDC-Q", "2024Q2", Ct));
    }

    [Fact]
    public async Task AReportIsCheckedAgainstTheFormVersionInForceForItsPeriod()
    {
        await using var app = new ReportingApp(azurite, new DateTimeOffset(2026, 11, 20, 3, 0, 0, TimeSpan.Zero));
        var reporter = await app.ReporterAsync("LC-X-BINHLU");
        const string Now = "/api/submissions/QCDC-Q/2026Q4/LC-X-BINHLU";

        var districtLevel = await reporter.SendAsync(Put(Now, Complete), Ct);
        var twoLevel = await reporter.SendAsync(Put(Now, CompleteTwoLevel, "\"1\""), Ct);
        var backfill = await app.Admin.SendAsync(Put("/api/submissions/QCDC-Q/2024Q3/LC-TDG-01", CompleteTwoLevel), Ct);

        // A figure of the abolished district level is refused at its field after the reform; the rest is saved.
        Assert.Equal(HttpStatusCode.Created, districtLevel.StatusCode);
        var saved = await districtLevel.ReadJsonAsync();
        Assert.Contains("values.dialogues.district", saved.GetProperty("refused").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
        Assert.False(saved.GetProperty("values").TryGetProperty("dialogues", out _));
        Assert.Equal(HttpStatusCode.OK, twoLevel.StatusCode);
        Assert.Equal(2, (await twoLevel.ReadJsonAsync()).GetProperty("formVersion").GetInt32());
        Assert.Contains("values.dialogues.province", (await backfill.ReadJsonAsync()).GetProperty("refused").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
    }
}
