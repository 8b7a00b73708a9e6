using System.Text.Json;
using Microsoft.Playwright;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Pages;

/// <summary>
/// Debian's Chromium driven by Playwright, headless, one browser per test class (each test opens its own contexts,
/// each a fresh profile). Playwright's own browser download cannot work here; CI installs <c>chromium</c>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots and page measurements go for people to review.</summary>
    public static string Output { get; } = Directory.CreateDirectory(Path.Combine(AzuriteFixture.RepositoryRoot, "TestResults", "pages")).FullName;

    /// <summary>axe-core from the npm lock file, evaluated in a page (outside its content security policy).</summary>
    public static string Axe { get; } = File.ReadAllText(Path.Combine(AzuriteFixture.RepositoryRoot, "node_modules", "axe-core", "axe.min.js"));

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>A fresh context (its own cookies and storage) at a phone's or a desk's width, collecting CSP violations.</summary>
    public async Task<(IBrowserContext Context, IPage Page, List<string> Problems)> OpenAsync(string baseUrl, int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 800 : 900 },
            Locale = "vi-VN",
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("Failed to load resource", StringComparison.Ordinal))
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        return (context, page, problems);
    }

    /// <summary>Signs in on the sign-in page with a key, as a person would.</summary>
    public static async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("Mã truy cập").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Đăng xuất" })).ToBeVisibleAsync();
    }

    /// <summary>axe-core's violations of impact serious or critical on the page as it stands.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        await page.EvaluateAsync(Axe);
        var result = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3) }))");
        return [.. result.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {string.Join(", ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()))}")];
    }
}
