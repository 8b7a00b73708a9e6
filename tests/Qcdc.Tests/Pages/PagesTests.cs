using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Qcdc.Tests.Exports;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Microsoft.Playwright.Assertions;

namespace Qcdc.Tests.Pages;

/// <summary>
/// The pages in a real browser (see BrowserFixture) against the real app on Kestrel and real
/// Azurite: a clerk's quarter from sign-in to approval, offline edits, a conflict, an expired session, and every page
/// at 360 px and 1280 px with its screenshot and an axe-core check.
/// </summary>
public sealed class PagesTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Commune = "LC-TDG-01";
    private const string ReportHash = "#/bao-cao/QCDC-Q/2024Q3/LC-TDG-01";
    private const string ReportUrl = "/api/submissions/QCDC-Q/2024Q3/LC-TDG-01";

    private sealed class PagesApp : IAsyncDisposable
    {
        public PagesApp(AzuriteFixture azurite)
        {
            Reporting = new ReportingApp(azurite, configure: f => f.With("RateLimits:PerKeyPerMinute", "100000").With("RateLimits:PerAddressPerMinute", "100000").UseKestrel(0));
            BaseUrl = Reporting.StartServer();
        }

        public ReportingApp Reporting { get; }

        public string BaseUrl { get; }

        public async Task<string> KeyAsync(string unit, string role)
        {
            var response = await Reporting.Admin.PostAsync("/api/manage/keys",
                HttpJson.Body($$"""{"unit":"{{unit}}","role":"{{role}}","label":"{{role}} {{unit}}","name":"Nguyễn Thị {{role}}"}"""), Ct);
            response.EnsureSuccessStatusCode();
            return (await response.ReadJsonAsync()).GetProperty("key").GetString()!;
        }

        public async Task<System.Text.Json.JsonElement> ReportAsync() => await (await Reporting.Admin.GetAsync(ReportUrl, Ct)).ReadJsonAsync();

        public ValueTask DisposeAsync() => Reporting.DisposeAsync();
    }

    private static Task SignInAsync(IPage page, string key) => BrowserFixture.SignInAsync(page, key);

    private static ILocator Field(IPage page, string label) => page.GetByLabel(label, new() { Exact = true });

    /// <summary>What a field says of itself: saved, waiting, refused (the line under it).</summary>
    private static ILocator StateOf(IPage page, string label) => Field(page, label).Locator("xpath=..").Locator(".state");

    private static ILocator CheckOf(IPage page, string label) => Field(page, label).Locator("xpath=..").Locator(".field-checks");

    private static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Output, $"{name}-{page.ViewportSize!.Width}.png"), FullPage = true });

    [Fact]
    public async Task ACommunesFormHasTheNumberedSectionsOfThePaperFormAsksOnlyWhatACommuneIsAskedAndMarksTheRequired()
    {
        await using var app = new PagesApp(azurite);
        var clerkKey = await app.KeyAsync(Commune, "reporter");
        var (_, clerk, problems) = await browser.OpenAsync(app.BaseUrl);
        await SignInAsync(clerk, clerkKey);
        await clerk.GotoAsync("/" + ReportHash);

        var sections = clerk.Locator("#report-form section.form-section > h2");
        await Expect(sections.First).ToHaveTextAsync("I. Công tác lãnh đạo, chỉ đạo, tuyên truyền, quán triệt");
        await Expect(clerk.Locator("#report-form section.form-section", new() { HasText = "V. Xây dựng nông thôn mới" })).ToContainTextAsync("Số xã đạt chuẩn nông thôn mới");
        // A ratio is asked as its two counts; nothing of agencies, enterprises or the province's own level.
        await Expect(Field(clerk, "Tổng số xã")).ToBeVisibleAsync();
        var form = await clerk.Locator("#report-form").InnerTextAsync();
        Assert.DoesNotContain("Doanh nghiệp nhà nước", form, StringComparison.Ordinal);
        Assert.DoesNotContain("Cơ quan có quy chế dân chủ", form, StringComparison.Ordinal);
        Assert.DoesNotContain("Cấp tỉnh", form, StringComparison.Ordinal);
        Assert.DoesNotContain("tử số", form, StringComparison.Ordinal);
        // The required indicators: a star after the label, explained above the form, and aria-required.
        await Expect(clerk.Locator("#report-form .required-note")).ToContainTextAsync("bắt buộc");
        await Expect(Field(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToHaveAttributeAsync("aria-required", "true");
        Assert.Equal("\" *\"", await clerk.Locator("label.required-label").First.EvaluateAsync<string>("l => getComputedStyle(l, '::after').content"));
        Assert.Empty(problems);
    }

    [Fact]
    public async Task AFieldTypedWrongIsRefusedAtOnceAndNeverErasesWhatTheServerHas()
    {
        await using var app = new PagesApp(azurite);
        var clerkKey = await app.KeyAsync(Commune, "reporter");
        await app.Reporting.Admin.SendAsync(ReportingApp.Put(ReportUrl, """{"docs_issued": 3, "land_area": 10}"""), Ct);
        var (_, clerk, problems) = await browser.OpenAsync(app.BaseUrl);
        await SignInAsync(clerk, clerkKey);
        await clerk.GotoAsync("/" + ReportHash);
        var docs = Field(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành");
        await Expect(docs).ToHaveValueAsync("3");

        // Letters, typed as a clerk types them (the field emptied first): refused while typing, not sent; the draft saves
        // the other fields; the server keeps 3.
        await docs.FillAsync("");
        await docs.PressSequentiallyAsync("abc");
        await Expect(StateOf(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToContainTextAsync("Chưa lưu: cần nhập một số");
        await Expect(StateOf(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToContainTextAsync("Giá trị đã lưu (3) được giữ nguyên");
        await Field(clerk, "Cuộc tiếp công dân của người đứng đầu").FillAsync("4");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Lưu nháp" }).ClickAsync();
        await Expect(StateOf(clerk, "Cuộc tiếp công dân của người đứng đầu")).ToHaveTextAsync("Đã lưu");
        await Expect(clerk.Locator("#report-notice")).ToContainTextAsync("Chưa lưu 1 ô nhập sai");
        var stored = (await app.ReportAsync()).GetProperty("values");
        Assert.Equal(3, stored.GetProperty("docs_issued").GetInt32());
        Assert.Equal(4, stored.GetProperty("receptions").GetInt32());
        await Expect(docs).ToHaveValueAsync("abc");

        // "12a" is not 12, on blur or ever; a 20-digit number is beyond what the form takes; a fraction is not a count.
        await docs.FillAsync("");
        await docs.PressSequentiallyAsync("12a");
        await docs.BlurAsync();
        await Expect(docs).ToHaveValueAsync("12a");
        await Expect(StateOf(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToContainTextAsync("cần nhập một số");
        await docs.FillAsync("12345678901234567890");
        await Expect(StateOf(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToContainTextAsync("không được lớn hơn 1.000.000.000.000.000");
        await docs.FillAsync("2,5");
        await Expect(StateOf(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToContainTextAsync("phải là số nguyên");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Gửi báo cáo" }).ClickAsync();
        await Expect(clerk.Locator("#report-notice")).ToContainTextAsync("Hãy sửa trước khi gửi");
        Assert.Equal("draft", (await app.ReportAsync()).GetProperty("status").GetString());

        // Corrected, it is saved like any other field.
        await docs.FillAsync("12");
        await Expect(StateOf(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToHaveTextAsync("Chờ lưu");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Lưu nháp" }).ClickAsync();
        await Expect(StateOf(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToHaveTextAsync("Đã lưu");
        Assert.Equal(12, (await app.ReportAsync()).GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.Empty(problems);
    }

    [Fact]
    public async Task AReturnedReportKeepsShowingItsReasonAfterADraftSaveUntilItIsSentAgain()
    {
        await using var app = new PagesApp(azurite);
        var clerkKey = await app.KeyAsync(Commune, "reporter");
        var admin = app.Reporting.Admin;
        await admin.SendAsync(ReportingApp.Put(ReportUrl, ReportingApp.Complete), Ct);
        await admin.PostAsync(ReportUrl + "/submit", null, Ct);
        await admin.PostAsync(ReportUrl + "/return", HttpJson.Body("""{"reason":"Thiếu số liệu đối thoại cấp xã."}"""), Ct);
        var (_, clerk, problems) = await browser.OpenAsync(app.BaseUrl);
        await SignInAsync(clerk, clerkKey);
        await clerk.GotoAsync("/" + ReportHash);
        await Expect(clerk.Locator("#return-reason")).ToContainTextAsync("Thiếu số liệu đối thoại cấp xã.");

        await Field(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành").FillAsync("7");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Lưu nháp" }).ClickAsync();
        await Expect(StateOf(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToHaveTextAsync("Đã lưu");
        await Expect(clerk.Locator("#return-reason")).ToContainTextAsync("chưa gửi lại");
        await Expect(clerk.Locator("#return-reason")).ToContainTextAsync("Thiếu số liệu đối thoại cấp xã.");

        await clerk.GetByRole(AriaRole.Button, new() { Name = "Gửi báo cáo" }).ClickAsync();
        await Expect(clerk.Locator("#report-status")).ToHaveTextAsync("Đã gửi");
        await Expect(clerk.Locator("#return-reason")).ToHaveCountAsync(0);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task AClerksQuarterFromSignInThroughOfflineEditsAReturnAndApprovalToTheDashboardAndItsWorkbook()
    {
        await using var app = new PagesApp(azurite);
        var clerkKey = await app.KeyAsync(Commune, "reporter");
        var reviewerKey = await app.KeyAsync("LC-TDG", "reviewer");
        var (clerkContext, clerk, clerkProblems) = await browser.OpenAsync(app.BaseUrl);

        // Sign in: the page shows the unit and the role, and keeps no key anywhere.
        await SignInAsync(clerk, clerkKey);
        await Expect(clerk.Locator("#who-unit")).ToHaveTextAsync("Thị trấn Tam Đường");
        await Expect(clerk.Locator("#who-role")).ToHaveTextAsync("(Người báo cáo)");
        Assert.DoesNotContain(clerkKey, clerk.Url, StringComparison.Ordinal);
        Assert.Equal(0, await clerk.EvaluateAsync<int>("() => localStorage.length + sessionStorage.length"));
        Assert.DoesNotContain((await clerkContext.CookiesAsync()), c => c.Value.Contains(clerkKey, StringComparison.Ordinal));

        // The quarter: status and deadline of each report.
        var row = clerk.Locator("tr[data-period='2024Q3']");
        await Expect(row).ToContainTextAsync("Chưa nhập");
        await Expect(row).ToContainTextAsync("còn 6 ngày");
        await Expect(clerk.Locator("tr[data-period='2024Q2']")).ToContainTextAsync("đã khóa");

        // The form: labels from the form definition, totals and the percentage computed while typing.
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Field(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành").FillAsync("3");
        await Field(clerk, "Hội nghị đối thoại trực tiếp với Nhân dân — Cấp huyện").FillAsync("0");
        await Field(clerk, "Hội nghị đối thoại trực tiếp với Nhân dân — Cấp xã").FillAsync("2");
        await Expect(clerk.GetByText("Tổng: 2 cuộc")).ToBeVisibleAsync();
        await Field(clerk, "Số cán bộ, đảng viên được quán triệt").FillAsync("40");
        await Field(clerk, "Tổng số cán bộ, đảng viên").FillAsync("50");
        await Expect(clerk.GetByText("Tỷ lệ: 80,0%")).ToBeVisibleAsync();
        await Field(clerk, "Diện tích đất hiến").FillAsync("1.250,5");
        await Field(clerk, "Kết quả").FillAsync("Đã tổ chức 2 hội nghị đối thoại.");
        await Expect(clerk.GetByText("32/8000 ký tự")).ToBeVisibleAsync();
        await Expect(StateOf(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToHaveTextAsync("Chờ lưu");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Lưu nháp" }).ClickAsync();
        await Expect(clerk.Locator("#report-notice")).ToContainTextAsync("Đã lưu nháp");
        await Expect(StateOf(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToHaveTextAsync("Đã lưu");
        var saved = (await app.ReportAsync()).GetProperty("values");
        Assert.Equal((3, 1250.5m, 40), (saved.GetProperty("docs_issued").GetInt32(), saved.GetProperty("land_area").GetDecimal(),
            saved.GetProperty("cadres_briefed").GetProperty("numerator").GetInt32()));

        // A broken rule appears beside its cells and in the list above the form while typing, in Vietnamese; the draft still saves.
        await Field(clerk, "Số cán bộ, đảng viên được quán triệt").FillAsync("60");
        await Expect(CheckOf(clerk, "Số cán bộ, đảng viên được quán triệt")).ToContainTextAsync(
            "Lỗi: Cán bộ, đảng viên được quán triệt: tử số không vượt quá mẫu số (đang ghi: Số cán bộ, đảng viên được quán triệt = 60, Tổng số cán bộ, đảng viên = 50).");
        await Expect(clerk.Locator("#checks-list")).ToContainTextAsync("tử số không vượt quá mẫu số");
        await Expect(Field(clerk, "Số cán bộ, đảng viên được quán triệt")).ToHaveAttributeAsync("aria-invalid", "true");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Lưu nháp" }).ClickAsync();
        await Expect(StateOf(clerk, "Số cán bộ, đảng viên được quán triệt")).ToHaveTextAsync("Đã lưu");
        await Expect(clerk.Locator("#checks-summary")).ToContainTextAsync("1 lỗi");
        // The history shows at once what the save changed, from what to what.
        await Expect(clerk.Locator("#history tbody tr").First).ToContainTextAsync("Số cán bộ, đảng viên được quán triệt: 40 → 60");
        await Field(clerk, "Số cán bộ, đảng viên được quán triệt").FillAsync("45");
        await Expect(clerk.Locator("#report-checks")).Not.ToContainTextAsync("tử số không vượt quá mẫu số");

        // Offline: edits stay in the browser, marked waiting; they are sent when the connection returns.
        await clerkContext.SetOfflineAsync(true);
        await Field(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành").FillAsync("5");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Lưu nháp" }).ClickAsync();
        await Expect(StateOf(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToHaveTextAsync("Chờ gửi (mất kết nối)");
        await Expect(clerk.Locator("#connection")).ToContainTextAsync("Mất kết nối mạng");
        Assert.Equal(3, (await app.ReportAsync()).GetProperty("values").GetProperty("docs_issued").GetInt32());
        await clerkContext.SetOfflineAsync(false);
        await Expect(StateOf(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToHaveTextAsync("Đã lưu");
        Assert.Equal(5, (await app.ReportAsync()).GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.Equal(45, (await app.ReportAsync()).GetProperty("values").GetProperty("cadres_briefed").GetProperty("numerator").GetInt32());

        // An attachment: picked, uploaded, listed, removed while a draft; a second one stays.
        await clerk.GetByLabel("Chọn tệp đính kèm (PDF, ảnh, Word, Excel)").SetInputFilesAsync(new FilePayload
        {
            Name = "Biên bản hội nghị.pdf",
            MimeType = "application/pdf",
            Buffer = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"u8.ToArray(),
        });
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Tải lên" }).ClickAsync();
        await Expect(clerk.Locator("#attachment-list")).ToContainTextAsync("Biên bản hội nghị.pdf");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Xóa Biên bản hội nghị.pdf" }).ClickAsync();
        await Expect(clerk.GetByText("Chưa có tệp nào.")).ToBeVisibleAsync();

        // Submit.
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Gửi báo cáo" }).ClickAsync();
        await Expect(clerk.Locator("#report-status")).ToHaveTextAsync("Đã gửi");
        await Expect(Field(clerk, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToBeDisabledAsync();

        // The reviewer's desk: the report under the district, who has not reported; returned with a reason.
        var (_, reviewer, reviewerProblems) = await browser.OpenAsync(app.BaseUrl);
        await SignInAsync(reviewer, reviewerKey);
        await Expect(reviewer.Locator("#reports tr[data-unit='LC-TDG-01']")).ToContainTextAsync("Đã gửi");
        await Expect(reviewer.Locator("#missing")).ToContainTextAsync("Xã Thèn Sin");
        await reviewer.GetByRole(AriaRole.Combobox, new() { Name = "Trạng thái" }).SelectOptionAsync("submitted");
        await Expect(reviewer.Locator("#reports tbody tr")).ToHaveCountAsync(1);
        await reviewer.GetByRole(AriaRole.Link, new() { Name = "Thị trấn Tam Đường (LC-TDG-01)" }).ClickAsync();
        await Expect(Field(reviewer, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToHaveValueAsync("5");
        await Expect(Field(reviewer, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToBeDisabledAsync();
        await Expect(reviewer.GetByRole(AriaRole.Heading, new() { Name = "Lịch sử" })).ToBeVisibleAsync();
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "Trả lại" }).ClickAsync();
        await reviewer.GetByLabel("Lý do trả lại").FillAsync("Thiếu số liệu đối thoại cấp xã của quý.");
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "Xác nhận trả lại" }).ClickAsync();
        await Expect(reviewer.Locator("#report-status")).ToHaveTextAsync("Bị trả lại");

        // The clerk sees the reason at the top, corrects and resubmits; the reviewer approves.
        await clerk.ReloadAsync();
        await Expect(clerk.Locator("#return-reason")).ToContainTextAsync("Thiếu số liệu đối thoại cấp xã của quý.");
        await Field(clerk, "Hội nghị đối thoại trực tiếp với Nhân dân — Cấp xã").FillAsync("4");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "Gửi báo cáo" }).ClickAsync();
        await Expect(clerk.Locator("#report-status")).ToHaveTextAsync("Đã gửi");
        await reviewer.ReloadAsync();
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "Duyệt" }).ClickAsync();
        await Expect(reviewer.Locator("#report-status")).ToHaveTextAsync("Đã duyệt");

        // The dashboard has the new total; its workbook downloads and holds it.
        await reviewer.GotoAsync("/#/tong-hop?unit=LC-TDG&period=2024Q3");
        await Expect(reviewer.Locator("#totals tr[data-code='docs_issued'] td").First).ToHaveTextAsync("5");
        await Expect(reviewer.Locator("#totals tr[data-code='dialogues'] td").First).ToHaveTextAsync("4");
        await Expect(reviewer.Locator("#children")).ToContainTextAsync("Thị trấn Tam Đường");
        await Expect(reviewer.Locator(".trend svg rect.bar")).ToHaveCountAsync(8);
        var download = await reviewer.RunAndWaitForDownloadAsync(() => reviewer.GetByRole(AriaRole.Link, new() { Name = "Tải sổ tính Excel" }).ClickAsync());
        Assert.Equal("QCDC-Q_2024Q3_LC-TDG.xlsx", download.SuggestedFilename);
        using (var book = OpenXmlFiles.OpenWorkbook(await File.ReadAllBytesAsync((await download.PathAsync())!, Ct)))
        {
            var docs = OpenXmlFiles.RowWith(book, OpenXmlFiles.Sheet(book, "Tổng hợp"), "B", "Văn bản lãnh đạo, chỉ đạo ban hành");
            Assert.Equal(5m, OpenXmlFiles.Number(docs["D"]));
        }

        Assert.Empty(clerkProblems);
        Assert.Empty(reviewerProblems);
    }

    [Fact]
    public async Task TwoBrowsersEditingTheSameDraftSeeTheConflictAndNothingIsOverwrittenSilently()
    {
        await using var app = new PagesApp(azurite);
        var key = await app.KeyAsync(Commune, "reporter");
        Assert.True((await app.Reporting.Admin.SendAsync(ReportingApp.Put(ReportUrl, ReportingApp.Complete), Ct)).IsSuccessStatusCode);
        var (_, first, _) = await browser.OpenAsync(app.BaseUrl);
        var (_, second, _) = await browser.OpenAsync(app.BaseUrl);
        await SignInAsync(first, key);
        await SignInAsync(second, key);
        await first.GotoAsync("/" + ReportHash);
        await second.GotoAsync("/" + ReportHash);
        await Expect(Field(second, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToHaveValueAsync("3");

        await Field(first, "Văn bản lãnh đạo, chỉ đạo ban hành").FillAsync("7");
        await first.GetByRole(AriaRole.Button, new() { Name = "Lưu nháp" }).ClickAsync();
        await Expect(first.Locator("#report-notice")).ToContainTextAsync("Đã lưu nháp");
        await Field(second, "Văn bản lãnh đạo, chỉ đạo ban hành").FillAsync("9");
        await second.GetByRole(AriaRole.Button, new() { Name = "Lưu nháp" }).ClickAsync();

        var conflict = second.Locator("#conflict");
        await Expect(conflict).ToContainTextAsync("Báo cáo đã được thay đổi ở nơi khác");
        var line = conflict.Locator("tr", new() { HasText = "Văn bản lãnh đạo, chỉ đạo ban hành" });
        await Expect(line.Locator("td").Nth(0)).ToHaveTextAsync("9");
        await Expect(line.Locator("td").Nth(1)).ToHaveTextAsync("7");
        Assert.Equal(7, (await app.ReportAsync()).GetProperty("values").GetProperty("docs_issued").GetInt32());
        await ScreenshotAsync(second, "conflict");

        await second.GetByRole(AriaRole.Button, new() { Name = "Giữ bản của tôi" }).ClickAsync();
        await Expect(second.Locator("#report-notice")).ToContainTextAsync("Đã lưu nháp");
        Assert.Equal(9, (await app.ReportAsync()).GetProperty("values").GetProperty("docs_issued").GetInt32());
    }

    [Fact]
    public async Task AnExpiredSessionReturnsToSignInAndKeepsWhatWasTyped()
    {
        await using var app = new PagesApp(azurite);
        var key = await app.KeyAsync(Commune, "reporter");
        var (context, page, _) = await browser.OpenAsync(app.BaseUrl);
        await SignInAsync(page, key);
        await page.GotoAsync("/" + ReportHash);
        await Field(page, "Văn bản lãnh đạo, chỉ đạo ban hành").FillAsync("12");

        await context.ClearCookiesAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu nháp" }).ClickAsync();

        await Expect(page.Locator("#signin-problem")).ToContainTextAsync("Phiên làm việc đã hết hạn");
        await page.GetByLabel("Mã truy cập").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await Expect(Field(page, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToHaveValueAsync("12");
        await Expect(page.Locator("#report-notice")).ToContainTextAsync("đã được khôi phục");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu nháp" }).ClickAsync();
        await Expect(page.Locator("#report-notice")).ToContainTextAsync("Đã lưu nháp");
        Assert.Equal(12, (await app.ReportAsync()).GetProperty("values").GetProperty("docs_issued").GetInt32());

        // Closing the tab with an unsaved edit asks first.
        await Field(page, "Văn bản lãnh đạo, chỉ đạo ban hành").FillAsync("13");
        var asked = new TaskCompletionSource<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.TrySetResult(dialog.Type);
            await dialog.DismissAsync();
        };
        await page.CloseAsync(new() { RunBeforeUnload = true });
        Assert.Equal("beforeunload", await asked.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Fact]
    public async Task EveryPageIsSmallFastAccessibleAndUsableAt360And1280Pixels()
    {
        await using var app = new PagesApp(azurite);
        var clerkKey = await app.KeyAsync(Commune, "reporter");
        var reviewerKey = await app.KeyAsync("LC-TDG", "reviewer");
        Assert.True((await app.Reporting.Admin.SendAsync(ReportingApp.Put(ReportUrl, ReportingApp.Complete), Ct)).IsSuccessStatusCode);
        var measurements = new List<string>();
        var violations = new List<string>();
        var docs = "3";

        foreach (var width in (int[])[360, 1280])
        {
            var (_, page, problems) = await browser.OpenAsync(app.BaseUrl, width);
            long bytes = 0;
            var sizes = new List<Task<RequestSizesResult>>();
            page.RequestFinished += (_, request) => sizes.Add(request.SizesAsync());
            var watch = Stopwatch.StartNew();
            await page.GotoAsync("/");
            await Expect(page.GetByLabel("Mã truy cập")).ToBeEditableAsync();
            var interactive = watch.Elapsed.TotalMilliseconds;
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            foreach (var size in await Task.WhenAll(sizes))
            {
                bytes += size.ResponseBodySize + size.ResponseHeadersSize;
            }
            measurements.Add(string.Create(CultureInfo.InvariantCulture, $"{width} px: first load {bytes} bytes in {sizes.Count} requests, interactive after {interactive:F0} ms"));
            Assert.True(bytes <= 150 * 1024, $"the entry page transfers {bytes} bytes");

            async Task CheckAsync(string name)
            {
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await ScreenshotAsync(page, name);
                violations.AddRange((await BrowserFixture.SeriousViolationsAsync(page)).Select(v => $"{name} {width}: {v}"));
                var text = await page.InnerTextAsync("body");
                Assert.False(System.Text.RegularExpressions.Regex.IsMatch(text, @"\b(null|undefined|NaN)\b"), $"{name} shows a programming word: {text}");
                var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
                Assert.True(overflow <= 0, $"{name} at {width} px is {overflow} px wider than the screen");
            }

            await CheckAsync("sign-in");
            await SignInAsync(page, clerkKey);
            await Expect(page.Locator("tr[data-period='2024Q3']")).ToBeVisibleAsync();
            await CheckAsync("clerk-quarter");
            await page.GotoAsync("/" + ReportHash);
            await Expect(Field(page, "Văn bản lãnh đạo, chỉ đạo ban hành")).ToHaveValueAsync(docs);
            await CheckAsync("report-form");

            // The form with the keyboard alone: Tab reaches the first field, typing and Enter on "Lưu nháp" saves.
            await page.Locator("h1").FocusAsync();
            for (var i = 0; i < 30 && !await Field(page, "Văn bản lãnh đạo, chỉ đạo ban hành").EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            {
                await page.Keyboard.PressAsync("Tab");
            }
            await page.Keyboard.PressAsync("Control+A");
            await page.Keyboard.TypeAsync(width.ToString(CultureInfo.InvariantCulture));
            await page.GetByRole(AriaRole.Button, new() { Name = "Lưu nháp" }).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#report-notice")).ToContainTextAsync("Đã lưu nháp");
            docs = width.ToString("#,##0", CultureInfo.GetCultureInfo("vi-VN"));
            Assert.Equal(width, (await app.ReportAsync()).GetProperty("values").GetProperty("docs_issued").GetInt32());

            await page.GetByRole(AriaRole.Button, new() { Name = "Đăng xuất" }).ClickAsync();
            await Expect(page.GetByLabel("Mã truy cập")).ToBeVisibleAsync();
            await SignInAsync(page, reviewerKey);
            await Expect(page.Locator("#rate")).ToBeVisibleAsync();
            await CheckAsync("reviewer-desk");
            await page.GotoAsync("/#/tong-hop?unit=LC-TDG&period=2024Q3");
            await Expect(page.Locator("#totals")).ToBeVisibleAsync();
            await CheckAsync("dashboard");
            await page.GotoAsync("/#/tong-hop?unit=LC-TDG&period=2024");
            await Expect(page.Locator("h1")).ToContainTextAsync("Năm 2024");
            await Expect(page.Locator("datalist option[value='NQ02-2017']")).ToHaveCountAsync(1); // the named windows, from the API
            await page.GotoAsync("/#/tong-hop?unit=LC-TDG&period=NQ02-2017");
            await Expect(page.Locator("h1")).ToContainTextAsync("NQ02-2017");
            Assert.Empty(problems);
        }

        await File.WriteAllLinesAsync(Path.Combine(BrowserFixture.Output, "measurements.txt"), [.. measurements, .. violations.DefaultIfEmpty("axe: no serious or critical violation")], Ct);
        Assert.Empty(violations);
    }
}
