using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Qcdc.Tests.Forms;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Microsoft.Playwright.Assertions;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Pages;

/// <summary>
/// Checks on the pages: the browser's evaluator agrees with the server's on every shared case; the reviewer's desk
/// counts errors, warnings and open follow-ups and filters by them; a reviewer marks a check for follow-up and the clerk
/// answers it on the report page.
/// </summary>
public sealed class ChecksPageTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ReportingApp App(AzuriteFixture azurite) => new(azurite, configure: f => f
        .With("RateLimits:PerKeyPerMinute", "100000").With("RateLimits:PerAddressPerMinute", "100000").UseKestrel(0));

    [Fact]
    public async Task ThePagesEvaluatorAgreesWithTheServersOnEverySharedCase()
    {
        await using var app = App(azurite);
        var baseUrl = app.StartServer();
        var (context, page, problems) = await browser.OpenAsync(baseUrl);
        var cases = FormChecksTests.Cases().Select(row => row.Data).ToList();
        var json = JsonSerializer.Serialize(cases.Select(c => new { rule = new { left = c.Rule.Left, right = c.Rule.Right, @operator = Kebab(c.Rule.Operator.ToString()), missing = Kebab(c.Rule.Missing.ToString()) }, values = c.Values }));

        await page.GotoAsync(baseUrl + "/");
        var broken = await page.EvaluateAsync<bool[]>(
            "async cases => { const m = await import(new URL('/js/checks.js', location.origin).href); return JSON.parse(cases).map(c => m.evaluateRule(c.rule, c.values) !== null); }", json);

        Assert.Equal(cases.Select(c => (c.Name, c.Broken)), cases.Select((c, i) => (c.Name, broken[i])));
        await context.CloseAsync();
        Assert.Empty(problems);
    }

    private static string Kebab(string pascal) => string.Concat(pascal.Select((ch, i) => char.IsUpper(ch) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(ch) : ch.ToString()));

    [Fact]
    public async Task TheDeskCountsChecksAndAReviewersFollowUpIsAnsweredOnTheReportPage()
    {
        await using var app = App(azurite);
        var baseUrl = app.StartServer();
        // Two communes sent their reports: one breaks a rule of warning severity (land given without its area), one does not.
        var first = await app.ReporterAsync("LC-TDG-01");
        Assert.Equal(HttpStatusCode.Created, (await first.SendAsync(Put(Q3 + "/LC-TDG-01", Complete.Replace("\"receptions\": 2", "\"receptions\": 2, \"land_households\": 4", StringComparison.Ordinal)), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsync(Q3 + "/LC-TDG-01/submit", null, Ct)).StatusCode);
        var second = await app.ReporterAsync("LC-TDG-02");
        Assert.Equal(HttpStatusCode.Created, (await second.SendAsync(Put(Q3 + "/LC-TDG-02", Complete), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsync(Q3 + "/LC-TDG-02/submit", null, Ct)).StatusCode);
        var reviewerKey = await KeyAsync(app, "LC-TDG", "reviewer", "Lò Văn Minh");
        var clerkKey = await KeyAsync(app, "LC-TDG-01", "reporter", "Vàng Thị Mai");

        var (context, page, problems) = await browser.OpenAsync(baseUrl);
        await BrowserFixture.SignInAsync(page, reviewerKey);
        await page.GotoAsync(baseUrl + "/#/duyet?period=2024Q3");
        await Expect(page.Locator("#reports tr[data-unit='LC-TDG-01'] td").Nth(4)).ToHaveTextAsync("0");
        await Expect(page.Locator("#reports tr[data-unit='LC-TDG-01'] td").Nth(5)).ToHaveTextAsync("1");
        await page.GetByLabel("Kiểm tra số liệu").SelectOptionAsync(new SelectOptionValue { Label = "Có cảnh báo" });
        await Expect(page.Locator("#reports tbody tr")).ToHaveCountAsync(1);
        Assert.Empty(await BrowserFixture.SeriousViolationsAsync(page));

        await page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("LC-TDG-01") }).ClickAsync();
        var check = page.Locator("#checks-list li[data-rule='land-pair']");
        await Expect(check).ToContainTextAsync("Cảnh báo: Hộ hiến đất và diện tích đất hiến cùng được ghi, hoặc cùng để trống");
        await check.GetByRole(AriaRole.Button, new() { Name = "Cần kiểm tra lại" }).ClickAsync();
        await check.GetByLabel("Ý kiến gửi đơn vị").FillAsync("Xã có 4 hộ hiến đất nhưng chưa ghi diện tích, đề nghị bổ sung.");
        await check.GetByRole(AriaRole.Button, new() { Name = "Gửi đề nghị" }).ClickAsync();
        await Expect(page.Locator("#follow-ups")).ToContainTextAsync("Lò Văn Minh");
        await Expect(page.Locator("#checks-summary")).ToContainTextAsync("1 đề nghị kiểm tra lại chưa trả lời");
        Assert.Empty(await BrowserFixture.SeriousViolationsAsync(page));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Output, "checks-follow-up-1280.png"), FullPage = true });
        await context.CloseAsync();

        var (clerkContext, clerk, clerkProblems) = await browser.OpenAsync(baseUrl, 360);
        await BrowserFixture.SignInAsync(clerk, clerkKey);
        await clerk.GotoAsync(baseUrl + "/#/bao-cao/QCDC-Q/2024Q3/LC-TDG-01");
        await Expect(clerk.Locator("#follow-ups")).ToContainTextAsync("đề nghị bổ sung");
        await clerk.Locator("#follow-ups").GetByLabel("Trả lời").FillAsync("Diện tích 320,5 m², xã sẽ gửi lại khi được trả báo cáo.");
        await clerk.Locator("#follow-ups").GetByRole(AriaRole.Button, new() { Name = "Gửi trả lời" }).ClickAsync();
        await Expect(clerk.Locator("#follow-ups")).ToContainTextAsync("Trả lời của Vàng Thị Mai");
        await Expect(clerk.Locator("#checks-summary")).ToContainTextAsync("0 đề nghị kiểm tra lại chưa trả lời");
        Assert.Empty(await BrowserFixture.SeriousViolationsAsync(clerk));
        await clerk.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Output, "checks-answer-360.png"), FullPage = true });
        await clerkContext.CloseAsync();

        var history = (await (await app.Admin.GetAsync(Q3 + "/LC-TDG-01/history", Ct)).ReadJsonAsync()).GetProperty("revisions").EnumerateArray()
            .Select(r => r.GetProperty("action").GetString()).ToList();
        Assert.Equal(["follow-up-raised", "follow-up-answered"], history.TakeLast(2));
        Assert.Empty(problems);
        Assert.Empty(clerkProblems);
    }

    private static async Task<string> KeyAsync(ReportingApp app, string unit, string role, string name) =>
        (await (await app.Admin.PostAsync("/api/manage/keys", HttpJson.Body($$"""{"unit":"{{unit}}","role":"{{role}}","label":"{{unit}}","name":"{{name}}"}"""), Ct))
            .ReadJsonAsync()).GetProperty("key").GetString()!;
}
