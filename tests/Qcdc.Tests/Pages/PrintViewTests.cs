using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Microsoft.Playwright.Assertions;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Pages;

/// <summary>
/// "In báo cáo": a report printed on A4 reads as a document — the unit and period in words, who sent and approved it,
/// every value as text, no navigation and no controls; the dashboard prints without its filters and buttons.
/// </summary>
public sealed partial class PrintViewTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"/Type\s*/Page[^s]")]
    private static partial Regex PdfPage();

    [Fact]
    public async Task AnApprovedReportPrintsOnOneA4PageAsTextWithWhoApprovedIt()
    {
        await using var app = new ReportingApp(azurite, configure: f => f
            .With("RateLimits:PerKeyPerMinute", "100000").With("RateLimits:PerAddressPerMinute", "100000").UseKestrel(0));
        var baseUrl = app.StartServer();
        var reporter = await app.ReporterAsync();
        Assert.Equal(HttpStatusCode.Created, (await reporter.SendAsync(Put(Q3 + "/LC-TDG-01", Complete), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reporter.PostAsync(Q3 + "/LC-TDG-01/submit", null, Ct)).StatusCode);
        var key = (await (await app.Admin.PostAsync("/api/manage/keys",
            HttpJson.Body("""{"unit":"LC-TDG","role":"reviewer","label":"Huyện Tam Đường","name":"Lò Văn Minh"}"""), Ct)).ReadJsonAsync()).GetProperty("key").GetString()!;
        var reviewer = app.Factory.CreateClient();
        reviewer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", key);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsync(Q3 + "/LC-TDG-01/approve", null, Ct)).StatusCode);

        var (context, page, problems) = await browser.OpenAsync(baseUrl);
        await BrowserFixture.SignInAsync(page, key);
        await page.GotoAsync(baseUrl + "/#/bao-cao/QCDC-Q/2024Q3/LC-TDG-01");
        await page.GetByRole(AriaRole.Link, new() { Name = "In báo cáo" }).ClickAsync();

        var view = page.Locator("#print-view");
        await Expect(view.Locator("h1")).ToHaveTextAsync("Báo cáo quý tình hình thực hiện Quy chế dân chủ ở cơ sở");
        await Expect(view).ToContainTextAsync("Quý III năm 2024 — Thị trấn Tam Đường");
        await Expect(page.Locator("#print-status")).ToHaveTextAsync("Đã duyệt");
        await Expect(page.Locator("#print-approval")).ToContainTextAsync("Lò Văn Minh");
        await Expect(view).ToContainTextAsync("Đã tổ chức hội nghị.");
        await Expect(view.Locator("input, textarea, select")).ToHaveCountAsync(0);
        Assert.Empty(await BrowserFixture.SeriousViolationsAsync(page));

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator("header.top")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "In" })).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Output, "print-report.png"), FullPage = true });
        var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = false });
        var pages = PdfPage().Matches(Encoding.Latin1.GetString(pdf)).Count;
        Assert.InRange(pages, 1, 2);
        await File.WriteAllBytesAsync(Path.Combine(BrowserFixture.Output, "print-report.pdf"), pdf, Ct);

        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await page.GotoAsync(baseUrl + "/#/tong-hop?period=2024Q3");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "In trang tổng hợp" })).ToBeVisibleAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator(".filters")).ToBeHiddenAsync();
        await Expect(page.Locator("#totals")).ToBeVisibleAsync();
        await context.CloseAsync();
        Assert.Empty(problems);
    }
}
