using System.Text;
using Microsoft.Playwright;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Microsoft.Playwright.Assertions;

namespace Qcdc.Tests.Pages;

/// <summary>A district's reviewer brings a past quarter in from a CSV or a workbook: checks it, sees every problem, corrects, writes.</summary>
public sealed class ImportPageTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Header = "unit_code,unit_name,indicator_code,label,category,value,numerator,denominator\r\n";

    [Fact]
    public async Task AReviewerChecksAFileSeesItsProblemsByRowAndWritesTheCorrectedOne()
    {
        await using var reporting = new ReportingApp(azurite, configure: f => f
            .With("RateLimits:PerKeyPerMinute", "100000").With("RateLimits:PerAddressPerMinute", "100000").UseKestrel(0));
        var baseUrl = reporting.StartServer();
        var key = (await (await reporting.Admin.PostAsync("/api/manage/keys",
            HttpJson.Body("""{"unit":"LC-TDG","role":"reviewer","label":"Huyện Tam Đường","name":"Lò Văn Minh"}"""), Ct)).ReadJsonAsync()).GetProperty("key").GetString()!;
        var (context, page, problems) = await browser.OpenAsync(baseUrl);
        await BrowserFixture.SignInAsync(page, key);
        await page.GetByRole(AriaRole.Link, new() { Name = "Nhập số liệu" }).ClickAsync();
        await page.GetByLabel("Kỳ báo cáo").SelectOptionAsync(new SelectOptionValue { Label = "Quý III năm 2024" });

        var wrong = Header + "LC-TDG-05,Xã,docs_issued,,,6,,\r\nLC-TUY-01,Xã,docs_issued,,,3,,\r\nLC-TDG-06,Xã,docs_issued,,,sáu,,\r\n";
        await page.GetByLabel("Tệp số liệu").SetInputFilesAsync(new FilePayload { Name = "quy3-2024.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(wrong) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Kiểm tra tệp" }).ClickAsync();
        await Expect(page.Locator("#import-status")).ToContainTextAsync("Tệp có 2 lỗi");
        await Expect(page.Locator("#import-problems tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#import-problems")).ToContainTextAsync("Dòng 3, cột mã đơn vị");
        await Expect(page.Locator("#import-problems")).ToContainTextAsync("Dòng 4, cột giá trị");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Ghi vào hệ thống" })).ToBeDisabledAsync();
        Assert.Empty(await BrowserFixture.SeriousViolationsAsync(page));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Output, "import-problems-1280.png"), FullPage = true });

        // The same file as a workbook: its problems name their cells.
        using (var output = new MemoryStream())
        {
            using (var book = new Qcdc.Exports.XlsxWriter(output))
            using (var sheet = book.AddSheet("Trang 1", new Qcdc.Exports.SheetLayout([12, 12, 12])))
            {
                sheet.StartRow().Text("ma_don_vi").Text("ma_chi_tieu").Text("gia_tri");
                sheet.StartRow().Text("LC-TDG-05").Text("docs_issued").Number(6);
                sheet.StartRow().Text("LC-TDG-06").Text("docs_issued").Text("sáu");
                sheet.Finish();
            }
            await page.GetByLabel("Tệp số liệu").SetInputFilesAsync(new FilePayload
            {
                Name = "quy3-2024.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = output.ToArray(),
            });
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Kiểm tra tệp" }).ClickAsync();
        await Expect(page.Locator("#import-status")).ToContainTextAsync("Tệp có 1 lỗi");
        await Expect(page.Locator("#import-problems")).ToContainTextAsync("Ô C3");

        var right = Header + "LC-TDG-05,Xã,docs_issued,,,6,,\r\nLC-TDG-06,Xã,docs_issued,,,4,,\r\n";
        await page.GetByLabel("Tệp số liệu").SetInputFilesAsync(new FilePayload { Name = "quy3-2024.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(right) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Kiểm tra tệp" }).ClickAsync();
        await Expect(page.Locator("#import-status")).ToContainTextAsync("Tệp hợp lệ: 2 báo cáo (2 sẽ được ghi)");
        await Expect(page.Locator("#import-reports tr[data-unit='LC-TDG-05']")).ToContainTextAsync("Tạo mới");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ghi vào hệ thống" }).ClickAsync();
        await Expect(page.Locator("#import-status")).ToHaveTextAsync("Đã ghi 2 báo cáo của Quý III năm 2024.");
        await context.CloseAsync();

        var report = await (await reporting.Admin.GetAsync("/api/submissions/QCDC-Q/2024Q3/LC-TDG-06", Ct)).ReadJsonAsync();
        Assert.Equal(4, report.GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.Equal("approved", report.GetProperty("status").GetString());
        Assert.Empty(problems);
    }
}
