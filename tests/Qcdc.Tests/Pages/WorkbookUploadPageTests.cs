using System.Net;
using Microsoft.Playwright;
using Qcdc.Tests.Exports;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Microsoft.Playwright.Assertions;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Pages;

/// <summary>
/// A clerk hands the filled-in workbook back on the report page: the good cells are saved and shown, a cell that does
/// not read is named by its cell; a workbook filled from an older revision is refused in Vietnamese with a link to the
/// current one.
/// </summary>
public sealed class WorkbookUploadPageTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    [Fact]
    public async Task AClerkSendsTheFilledWorkbookFromTheReportPageAndAStaleOneIsRefusedWithTheCurrentOneOffered()
    {
        await using var app = new ReportingApp(azurite, configure: f => f
            .With("RateLimits:PerKeyPerMinute", "100000").With("RateLimits:PerAddressPerMinute", "100000").UseKestrel(0));
        var baseUrl = app.StartServer();
        var key = (await (await app.Admin.PostAsync("/api/manage/keys",
            HttpJson.Body("""{"unit":"LC-TDG-01","role":"reporter","label":"Thị trấn Tam Đường","name":"Vàng Thị Mai"}"""), Ct)).ReadJsonAsync()).GetProperty("key").GetString()!;
        var api = app.Factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", key);
        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(Put(Q3 + "/LC-TDG-01", """{"docs_issued": 1}"""), Ct)).StatusCode);
        var workbook = await (await api.GetAsync(Q3 + "/LC-TDG-01/workbook", Ct)).Content.ReadAsByteArrayAsync(Ct);
        string receptions = "";
        var filled = ReportWorkbookTests.Fill(workbook, book => new Dictionary<string, object?>
        {
            [ReportWorkbookTests.Input(book, "Văn bản lãnh đạo, chỉ đạo ban hành")] = 6,
            [receptions = ReportWorkbookTests.Input(book, "Cuộc tiếp công dân của người đứng đầu")] = "ba",
        });

        var (context, page, problems) = await browser.OpenAsync(baseUrl, 360);
        await BrowserFixture.SignInAsync(page, key);
        await page.GotoAsync(baseUrl + "/#/bao-cao/QCDC-Q/2024Q3/LC-TDG-01");
        await page.GetByLabel("Chọn tệp Excel đã điền").SetInputFilesAsync(new FilePayload { Name = "bao-cao-quy3.xlsx", MimeType = Xlsx, Buffer = filled });
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi tệp Excel" }).ClickAsync();
        await Expect(page.Locator("#report-notice")).ToContainTextAsync($"Đã nhận bao-cao-quy3.xlsx; 1 ô chưa lưu được: {receptions} — Cuộc tiếp công dân của người đứng đầu");
        await Expect(page.GetByLabel("Văn bản lãnh đạo, chỉ đạo ban hành", new() { Exact = true })).ToHaveValueAsync("6");
        Assert.Empty(await BrowserFixture.SeriousViolationsAsync(page));

        // Someone saves meanwhile: the same file, filled from revision 1, no longer fits.
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(Put(Q3 + "/LC-TDG-01", """{"docs_issued": 7}""", "\"2\""), Ct)).StatusCode);
        await page.GetByLabel("Chọn tệp Excel đã điền").SetInputFilesAsync(new FilePayload { Name = "bao-cao-quy3.xlsx", MimeType = Xlsx, Buffer = filled });
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi tệp Excel" }).ClickAsync();
        await Expect(page.Locator("#workbook-problems")).ToContainTextAsync("Tệp Excel này được tải về khi báo cáo ở lần sửa 1; báo cáo nay đã ở lần sửa 3");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Tải biểu mẫu Excel mới nhất" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Output, "workbook-upload-360.png"), FullPage = true });
        Assert.Equal(7, (await (await api.GetAsync(Q3 + "/LC-TDG-01", Ct)).ReadJsonAsync()).GetProperty("values").GetProperty("docs_issued").GetInt32());

        // The current workbook, filled and dragged onto the page: a drop sends it as the picker does.
        var current = await (await api.GetAsync(Q3 + "/LC-TDG-01/workbook", Ct)).Content.ReadAsByteArrayAsync(Ct);
        var refilled = ReportWorkbookTests.Fill(current, book => new Dictionary<string, object?> { [ReportWorkbookTests.Input(book, "Văn bản lãnh đạo, chỉ đạo ban hành")] = 9 });
        await page.Locator("#workbook-drop").EvaluateAsync("""
            (zone, bytes) => {
              const transfer = new DataTransfer();
              transfer.items.add(new File([new Uint8Array(bytes)], 'keo-tha.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
              zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
              zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
            }
            """, refilled.Select(b => (int)b).ToArray());
        await Expect(page.Locator("#report-notice")).ToContainTextAsync("Đã nhận keo-tha.xlsx và lưu báo cáo");
        await Expect(page.GetByLabel("Văn bản lãnh đạo, chỉ đạo ban hành", new() { Exact = true })).ToHaveValueAsync("9");
        await context.CloseAsync();
        Assert.Equal(9, (await (await api.GetAsync(Q3 + "/LC-TDG-01", Ct)).ReadJsonAsync()).GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.Empty(problems);
    }
}
