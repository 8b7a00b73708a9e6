using Microsoft.Playwright;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Microsoft.Playwright.Assertions;

namespace Qcdc.Tests.Pages;

/// <summary>
/// The province's reviewer opens the dashboard for a quarter before the 2025 reform, the year of the reform, its
/// second half and the plan period 2021–2025, over the generated demo past: every page opens, and no request the page
/// makes is refused.
/// </summary>
public sealed class ReformDashboardTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheProvincesReviewerSeesEveryPeriodAcrossTheReformWithoutARefusedRequest()
    {
        await using var reporting = new ReportingApp(azurite, new DateTimeOffset(2026, 2, 10, 3, 0, 0, TimeSpan.Zero), f => f
            .With("Seed:DemoReports", "true").With("Seed:DemoHistory", "true")
            .With("RateLimits:PerKeyPerMinute", "100000").With("RateLimits:PerAddressPerMinute", "100000").UseKestrel(0));
        var baseUrl = reporting.StartServer();
        await reporting.WaitForDemoPastAsync();
        var key = (await (await reporting.Admin.PostAsync("/api/manage/keys",
            HttpJson.Body("""{"unit":"LC","role":"reviewer","label":"Ban Dân vận","name":"Nguyễn Thị Hoa"}"""), Ct)).ReadJsonAsync()).GetProperty("key").GetString()!;

        var (context, page, problems) = await browser.OpenAsync(baseUrl);
        await BrowserFixture.SignInAsync(page, key);
        // Signed in (the sign-in page's own question "is there a session?" is a 401 by design): from here on nothing is refused.
        var refused = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                refused.Add($"{response.Status} {response.Url}");
            }
        };

        foreach (var period in new[] { "2024Q4", "2025", "2025H2", "2021-2025" })
        {
            await page.GotoAsync($"/#/tong-hop?unit=LC&period={period}");
            await Expect(page.Locator("h1")).ToContainTextAsync("Tổng hợp");
            await Expect(page.Locator("#totals tr[data-code='docs_issued'] td").First).Not.ToHaveTextAsync("—");
            await Expect(page.Locator("main")).Not.ToContainTextAsync("Không mở được trang");
        }

        // The plan period: its twenty quarters as a trend, the change against 2016–2020, and the five-year reports that
        // do not match their quarters.
        await Expect(page.Locator(".trend svg rect.bar")).ToHaveCountAsync(20);
        await Expect(page.Locator("#totals thead")).ToContainTextAsync("So với Giai đoạn 2016–2020");
        await Expect(page.Locator("#reconciliation")).ToContainTextAsync("Đối chiếu báo cáo 5 năm (QCDC-5Y)");
        Assert.True(await page.Locator("#reconciliation tbody tr").CountAsync() > 0);
        Assert.Empty(await BrowserFixture.SeriousViolationsAsync(page));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Output, "dashboard-2021-2025-1280.png"), FullPage = true });
        await page.GotoAsync("/#/tong-hop?unit=LC&period=2025");
        await Expect(page.Locator(".trend svg rect.bar")).ToHaveCountAsync(4);
        await Expect(page.Locator("#by-kind tr[data-kind='commune'] th")).ToHaveTextAsync("Xã");
        await Expect(page.Locator("#by-kind tr[data-kind='agency']")).ToContainTextAsync("Cơ quan");
        await Expect(page.Locator("#totals tr[data-code='docs_issued'] td.change").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[+−]?[0-9]"));

        // Periods are chosen by their names; another one by its key.
        await page.GetByLabel("Kỳ (quý, 6 tháng, năm, giai đoạn)").SelectOptionAsync(new SelectOptionValue { Label = "6 tháng đầu năm 2025" });
        await Expect(page.Locator("h1")).ToContainTextAsync("6 tháng đầu năm 2025");
        await page.GetByLabel("Kỳ (quý, 6 tháng, năm, giai đoạn)").SelectOptionAsync(new SelectOptionValue { Label = "Kỳ khác (nhập mã kỳ)…" });
        await page.GetByLabel("Mã kỳ (ví dụ 2022Q3, 2023H1, 2023, 2021-2025)").FillAsync("2024Q4");
        await page.GetByLabel("Mã kỳ (ví dụ 2022Q3, 2023H1, 2023, 2021-2025)").PressAsync("Enter");
        await Expect(page.Locator("h1")).ToContainTextAsync("Quý IV năm 2024");
        await Expect(page.Locator(".trend svg")).ToContainTextAsync("Quý IV/2024");
        await context.CloseAsync();

        Assert.True(refused.Count == 0, string.Join("\n", refused));
        Assert.Empty(problems);

        // On a phone: the plan period's page with its reconciliation fits the screen and passes axe.
        var (phoneContext, phone, phoneProblems) = await browser.OpenAsync(baseUrl, width: 360);
        await BrowserFixture.SignInAsync(phone, key);
        await phone.GotoAsync("/#/tong-hop?unit=LC&period=2021-2025");
        await Expect(phone.Locator("#reconciliation")).ToBeVisibleAsync();
        await phone.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Empty(await BrowserFixture.SeriousViolationsAsync(phone));
        var text = await phone.InnerTextAsync("body");
        Assert.False(System.Text.RegularExpressions.Regex.IsMatch(text, @"\b(null|undefined|NaN)\b"), text);
        Assert.True(await phone.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0);
        await phone.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Output, "dashboard-2021-2025-360.png"), FullPage = true });
        await phoneContext.CloseAsync();
        Assert.Empty(phoneProblems);
    }
}
