using System.Net;
using System.Text;
using Qcdc.Tests.Infrastructure;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Submissions;

/// <summary>PATCH changes only what it names; PUT replaces whole; a write that changes nothing writes nothing.</summary>
public sealed class SubmissionPatchTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Url = Q3 + "/LC-TDG-01";

    public static HttpRequestMessage Patch(string url, string values, string? ifMatch = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, url)
        {
            Content = new StringContent($$"""{"values":{{values}}}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    [Fact]
    public async Task AValueACommuneIsNotAskedIsRefusedInVietnameseTheRestIsSavedAndSubmittingDoesNotNeedIt()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        var request = Put(Url, """{"docs_issued": 3, "state_ent_cla": {"numerator": 1, "denominator": 2}, "narrative_results": "Đã tổ chức."}""");
        request.Headers.AcceptLanguage.ParseAdd("vi");

        var saved = await reporter.SendAsync(request, Ct);
        var body = await saved.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        Assert.Equal(3, body.GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.False(body.GetProperty("values").TryGetProperty("state_ent_cla", out _));
        var refused = Assert.Single(body.GetProperty("refused").EnumerateArray());
        Assert.Equal("values.state_ent_cla", refused.GetProperty("field").GetString());
        Assert.Equal("Doanh nghiệp nhà nước ký thỏa ước lao động tập thể: chỉ tiêu này không áp dụng cho loại đơn vị của bạn; giá trị không được lưu.",
            refused.GetProperty("message").GetString());
        // Required indicators are those the commune is asked: it submits with what it has.
        Assert.Equal(HttpStatusCode.OK, (await reporter.PostAsync(Url + "/submit", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task APatchChangesOnlyTheNamedValuesAndNullRemovesOne()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, """{"docs_issued": 3, "receptions": 2, "dialogues": {"district": 0, "commune": 1}, "narrative_results": "Đã tổ chức."}"""), Ct);

        var patched = await reporter.SendAsync(Patch(Url, """{"receptions": null, "dialogues": {"commune": 4}, "land_households": 12}""", "\"1\""), Ct);
        var body = await patched.ReadJsonAsync();
        var values = body.GetProperty("values");

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("\"2\"", patched.Headers.ETag?.Tag);
        Assert.Equal(3, values.GetProperty("docs_issued").GetInt32());
        Assert.False(values.TryGetProperty("receptions", out _));
        Assert.Equal(0, values.GetProperty("dialogues").GetProperty("district").GetInt32());
        Assert.Equal(4, values.GetProperty("dialogues").GetProperty("commune").GetInt32());
        Assert.Equal(12, values.GetProperty("land_households").GetInt32());
        Assert.Equal("Đã tổ chức.", values.GetProperty("narrative_results").GetString());
        var history = (await (await reporter.GetAsync(Url + "/history", Ct)).ReadJsonAsync()).GetProperty("revisions");
        Assert.Equal(["dialogues", "land_households", "receptions"], history[1].GetProperty("changed").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task APatchNeedsIfMatchSavesABrokenRuleAsACheckAndRefusesOnlyItsBadFields()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, """{"complaints_received": 5, "complaints_resolved": 4}"""), Ct);

        var missing = await reporter.SendAsync(Patch(Url, """{"docs_issued": 1}"""), Ct);
        var stale = await reporter.SendAsync(Patch(Url, """{"docs_issued": 1}""", "\"9\""), Ct);
        var bad = await reporter.SendAsync(Patch(Url, """{"complaints_resolved": -1}""", "\"1\""), Ct);
        var broken = await reporter.SendAsync(Patch(Url, """{"complaints_resolved": 6, "receptions": 2.5}""", "\"1\""), Ct);

        Assert.Equal(HttpStatusCode.PreconditionRequired, missing.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("complaints_resolved", (await bad.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        var saved = await broken.ReadJsonAsync();
        Assert.Equal(6, saved.GetProperty("values").GetProperty("complaints_resolved").GetInt32());
        Assert.False(saved.GetProperty("values").TryGetProperty("receptions", out _));
        Assert.Equal("values.receptions", Assert.Single(saved.GetProperty("refused").EnumerateArray()).GetProperty("field").GetString());
        var check = Assert.Single(saved.GetProperty("checks").EnumerateArray());
        Assert.Equal(("complaints-resolved", "error"), (check.GetProperty("rule").GetString(), check.GetProperty("severity").GetString()));
        Assert.Equal("\"2\"", (await reporter.GetAsync(Url, Ct)).Headers.ETag?.Tag);
    }

    [Fact]
    public async Task APatchOfAReportThatDoesNotExistCreatesIt()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();

        var created = await reporter.SendAsync(Patch(Url, """{"docs_issued": 2, "receptions": null}"""), Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("""{"docs_issued":2}""", (await created.ReadJsonAsync()).GetProperty("values").GetRawText().Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARetriedPatchWithItsIdempotencyKeyReplaysTheFirstAnswer()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);

        var first = await reporter.SendAsync(Patch(Url, """{"docs_issued": 7}""", "\"1\"", "patch-1"), Ct);
        var retry = await reporter.SendAsync(Patch(Url, """{"docs_issued": 7}""", "\"1\"", "patch-1"), Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(2, (await (await reporter.GetAsync(Url + "/history", Ct)).ReadJsonAsync()).GetProperty("revisions").GetArrayLength());
    }

    [Fact]
    public async Task APutReplacesTheValuesWhole()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);

        var replaced = await (await reporter.SendAsync(Put(Url, """{"docs_issued": 9}""", "\"1\""), Ct)).ReadJsonAsync();

        Assert.Equal("""{"docs_issued":9}""", replaced.GetProperty("values").GetRawText().Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWriteThatChangesNothingCreatesNoRevisionAndKeepsTheETag()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);

        var same = await reporter.SendAsync(Put(Url, Complete, "\"1\""), Ct);
        var samePatch = await reporter.SendAsync(Patch(Url, """{"docs_issued": 3}""", "\"1\""), Ct);

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal("\"1\"", same.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.OK, samePatch.StatusCode);
        Assert.Equal("\"1\"", samePatch.Headers.ETag?.Tag);
        Assert.Equal(1, (await (await reporter.GetAsync(Url + "/history", Ct)).ReadJsonAsync()).GetProperty("revisions").GetArrayLength());
    }

    [Fact]
    public async Task IfMatchStarCannotOverwriteAReport()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);

        var star = await reporter.SendAsync(Put(Url, """{"docs_issued": 1}""", "*"), Ct);
        var ifMatchOnNothing = await app.Admin.SendAsync(Put(Q3 + "/LC-TDG-02", """{"docs_issued": 1}""", "\"5\""), Ct);

        Assert.Equal(HttpStatusCode.PreconditionRequired, star.StatusCode);
        Assert.Contains("ETag", (await star.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.PreconditionFailed, ifMatchOnNothing.StatusCode);
        Assert.Equal("\"1\"", (await reporter.GetAsync(Url, Ct)).Headers.ETag?.Tag);
    }

    [Fact]
    public async Task AWriteToAnApprovedReportIs409BeforeAnyPrecondition()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);
        await reporter.PostAsync(Url + "/submit", null, Ct);
        await (await app.ReviewerAsync()).PostAsync(Url + "/approve", null, Ct);

        var withoutIfMatch = await reporter.SendAsync(Put(Url, Complete), Ct);
        var staleIfMatch = await reporter.SendAsync(Put(Url, Complete, "\"1\""), Ct);
        var patch = await reporter.SendAsync(Patch(Url, """{"docs_issued": 4}"""), Ct);

        Assert.Equal(HttpStatusCode.Conflict, withoutIfMatch.StatusCode);
        Assert.Contains("approved", (await withoutIfMatch.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, staleIfMatch.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, patch.StatusCode);
    }
}
