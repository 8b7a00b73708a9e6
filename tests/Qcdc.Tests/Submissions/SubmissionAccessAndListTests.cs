using System.Net;
using Qcdc.Tests.Infrastructure;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Submissions;

public sealed class SubmissionAccessAndListTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACommuneKeyNeverReadsOrWritesAnotherCommune()
    {
        await using var app = new ReportingApp(azurite);
        await app.Admin.SendAsync(Put(Q3 + "/LC-TDG-02", Complete), Ct);
        var reporter = await app.ReporterAsync("LC-TDG-01");

        var write = await reporter.SendAsync(Put(Q3 + "/LC-TDG-02", Complete), Ct);
        var read = await reporter.GetAsync(Q3 + "/LC-TDG-02", Ct);
        var readMissing = await reporter.GetAsync(Q3 + "/LC-TDG-03", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        // The same answer whether or not the other unit has a report: nothing leaks.
        Assert.Equal(HttpStatusCode.Forbidden, readMissing.StatusCode);
        Assert.Equal((await read.ReadJsonAsync()).GetProperty("detail").GetString(), (await readMissing.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AReviewerActsInItsSubtreeOnly()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync("LC-TDG-01");
        await reporter.SendAsync(Put(Q3 + "/LC-TDG-01", Complete), Ct);
        await reporter.PostAsync(Q3 + "/LC-TDG-01/submit", null, Ct);
        var ownDistrict = await app.ReviewerAsync("LC-TDG");
        var otherDistrict = await app.ReviewerAsync("LC-TUY");

        Assert.Equal(HttpStatusCode.OK, (await ownDistrict.GetAsync(Q3 + "/LC-TDG-01", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherDistrict.GetAsync(Q3 + "/LC-TDG-01", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherDistrict.PostAsync(Q3 + "/LC-TDG-01/approve", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ownDistrict.SendAsync(Put(Q3 + "/LC-TDG-01", Complete, "\"2\""), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.PostAsync(Q3 + "/LC-TDG-01/approve", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ownDistrict.PostAsync(Q3 + "/LC-TDG-01/approve", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task WithoutAKeyEveryReportRouteIs401()
    {
        await using var app = new ReportingApp(azurite);
        var anonymous = app.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Put(Q3 + "/LC-TDG-01", Complete), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Q3 + "/LC-TDG-01", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Q3 + "?under=LC", Ct)).StatusCode);
    }

    [Fact]
    public async Task TheReviewerListCoversTheSubtreeInPagesAndFiltersByStatus()
    {
        await using var app = new ReportingApp(azurite);
        foreach (var unit in new[] { "LC-TDG-01", "LC-TDG-02", "LC-TDG-03", "LC-TDG-04", "LC-TDG-05", "LC-TUY-01" })
        {
            await app.Admin.SendAsync(Put($"{Q3}/{unit}", Complete), Ct);
        }
        await app.Admin.PostAsync(Q3 + "/LC-TDG-02/submit", null, Ct);
        var reviewer = await app.ReviewerAsync("LC-TDG");

        var units = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = Q3 + "?under=LC-TDG&pageSize=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await reviewer.GetAsync(url, Ct)).ReadJsonAsync();
            units.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("unit").GetString()!));
            token = page.TryGetProperty("continuationToken", out var next) ? next.GetString() : null;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(["LC-TDG-01", "LC-TDG-02", "LC-TDG-03", "LC-TDG-04", "LC-TDG-05"], units);
        Assert.Equal(3, pages);
        var submitted = await (await reviewer.GetAsync(Q3 + "?under=LC-TDG&status=submitted", Ct)).ReadJsonAsync();
        Assert.Equal(["LC-TDG-02"], submitted.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("unit").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync(Q3 + "?under=LC", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await reviewer.GetAsync(Q3 + "?under=LC-TDG&status=lost", Ct)).StatusCode);
    }
}
