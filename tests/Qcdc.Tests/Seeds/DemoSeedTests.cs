using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qcdc.Seeds;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using Qcdc.Units;

namespace Qcdc.Tests.Seeds;

/// <summary>A first start shows the product: the demo keys fit the README's walk-through, and there are reports to look at.</summary>
public sealed class DemoSeedTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 1 December 2026 in Vietnam: 2026Q4 is open, 2026Q3 and earlier are locked.
    private static readonly DateTimeOffset Today = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    private static ReportingApp DemoApp(AzuriteFixture azurite) => new(azurite, Today, f => f.With("Seed:DemoReports", "true"));

    [Fact]
    public async Task TheDemoReviewerIsAnAncestorOfTheDemoReporterOnTodaysHierarchy()
    {
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AzuriteFixture.RepositoryRoot, "src", "Functions", "appsettings.Development.json"), Ct))!;
        var keys = settings["Seed"]!["DemoKeys"]!.AsArray();
        string UnitOf(string role) => keys.Single(k => k!["Role"]!.GetValue<string>() == role)!["Unit"]!.GetValue<string>();
        var hierarchy = new UnitHierarchy((await SeedFiles.ReadUnitsAsync(SeedData.Folder, Ct)).Units);

        Assert.True(hierarchy.IsInSubtree(UnitOf("reporter"), UnitOf("reviewer"), new DateOnly(2026, 12, 1)));
        Assert.True(hierarchy.Find(UnitOf("reviewer"))!.IsActiveOn(new DateOnly(2026, 12, 1)));
    }

    [Fact]
    public async Task TheDemoReportsShowEveryStatusAMissingUnitAndALateOne()
    {
        await using var app = DemoApp(azurite);
        var reviewer = await app.ReviewerAsync("LC");

        var current = await ListAsync(reviewer, "2026Q4");
        var previous = await ListAsync(reviewer, "2026Q3");
        var returned = await (await reviewer.GetAsync("/api/submissions/QCDC-Q/2026Q4/LC-X-BINHLU", Ct)).ReadJsonAsync();

        Assert.Equal(["approved", "draft", "returned", "submitted"], current.Select(r => r.GetProperty("status").GetString()).Distinct().Order());
        Assert.Equal("returned", returned.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(returned.GetProperty("returnReason").GetString()));
        Assert.Equal(2, returned.GetProperty("formVersion").GetInt32());
        Assert.Contains(previous, r => r.GetProperty("late").GetBoolean());
        Assert.DoesNotContain(previous, r => r.GetProperty("unit").GetString() == "LC-X-MUONGCANG");
        Assert.All(previous.Where(r => r.GetProperty("status").GetString() == "approved"),
            r => Assert.True(r.GetProperty("submittedAt").GetDateTimeOffset() < new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task ASecondStartWritesNoDemoReport()
    {
        await using var app = DemoApp(azurite);
        await app.Admin.GetAsync("/api/health", Ct);
        var before = await ListAsync(app.Admin, "2026Q3", "LC");

        var seeder = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Qcdc.Development.Seeds.DemoReportSeeder>(app.Factory.Services);
        await seeder.SeedAsync(await SeedFiles.ReadDemoReportsAsync(SeedData.Folder, Ct), Ct);
        var after = await ListAsync(app.Admin, "2026Q3", "LC");

        Assert.Equal(before.Select(r => r.GetProperty("revision").GetInt32()), after.Select(r => r.GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task ThePastIsGeneratedFromItsSeedSince2021AndTheFiveYearReportsPartlyAgreeWithTheirQuarters()
    {
        await using var app = new ReportingApp(azurite, Today, f => f.With("Seed:DemoReports", "true").With("Seed:DemoHistory", "true"));
        var reviewer = await app.ReviewerAsync("LC");

        // The past is written in the background after start: the file's reports, the quarters, then the five-year reports.
        await app.WaitForDemoPastAsync();
        var answer = await reviewer.GetAsync("/api/reconciliation/QCDC-5Y/2021-2025/LC", Ct);
        JsonElement? reconciliation = answer.StatusCode == HttpStatusCode.OK ? await answer.ReadJsonAsync() : null;
        Assert.True(reconciliation is not null, string.Join("\n", app.Factory.Logs.Entries.Where(e => e.Category.Contains("Seed", StringComparison.Ordinal)).Select(e => e.Text).TakeLast(30)));
        var units = reconciliation.Value.GetProperty("units").EnumerateArray().ToList();
        var over = reconciliation.Value.GetProperty("unitsOverThreshold").EnumerateArray().Select(u => u.GetString()).ToList();
        Assert.True(over.Count > 0, reconciliation.Value.ToString()[..Math.Min(3000, reconciliation.Value.ToString().Length)]);
        Assert.Contains(units, u => !u.GetProperty("overThreshold").GetBoolean());
        Assert.DoesNotContain("was refused", app.Factory.Logs.AllText, StringComparison.Ordinal);

        // Every quarter since 2021Q1 has reports, before the reform under the districts and after it under the province.
        var first = await ListAsync(reviewer, "2021Q1", "LC");
        Assert.True(first.Count >= 20, $"{first.Count} reports in 2021Q1");
        Assert.Contains(first, r => r.GetProperty("unit").GetString()!.StartsWith("LC-TDG-", StringComparison.Ordinal));
        var afterReform = await ListAsync(reviewer, "2025Q4", "LC");
        Assert.Contains(afterReform, r => r.GetProperty("unit").GetString()!.StartsWith("LC-X-", StringComparison.Ordinal));
        Assert.Contains(first, r => r.GetProperty("status").GetString() == "returned");
        var v1 = await (await reviewer.GetAsync($"/api/submissions/QCDC-Q/2021Q1/{first[0].GetProperty("unit").GetString()}", Ct)).ReadJsonAsync();
        Assert.Equal(1, v1.GetProperty("formVersion").GetInt32());
        var window = await (await reviewer.GetAsync("/api/rollups/QCDC-Q/2021-2025/LC", Ct)).ReadJsonAsync();
        Assert.True(window.GetProperty("values").GetProperty("docs_issued").GetDecimal() > 100);
        var resolution = await (await reviewer.GetAsync("/api/rollups/QCDC-Q/NQ02-2017/LC", Ct)).ReadJsonAsync();
        Assert.True(resolution.GetProperty("values").GetProperty("docs_issued").GetDecimal() > 0);

        // The same seed, the same past; another seed, another.
        var hierarchy = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<UnitStore>(app.Factory.Services).GetHierarchyAsync(Ct);
        var catalog = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Qcdc.Forms.FormStore>(app.Factory.Services).GetCatalogAsync(Ct);
        string Past(int seed) => string.Join("\n", Qcdc.Development.Seeds.DemoHistory.Quarterly("QCDC-Q", hierarchy, catalog, new DateOnly(2026, 12, 1), seed)
            .Select(i => $"{i.Period.Key} {i.Unit} {i.Status} {i.Late} {i.Values.ToJsonString()}"));
        Assert.Equal(Past(2021), Past(2021));
        Assert.NotEqual(Past(2021), Past(7));
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient client, string period, string? under = null)
    {
        var response = await client.GetAsync($"/api/submissions/QCDC-Q/{period}" + (under is null ? "" : $"?under={under}"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadJsonAsync()).GetProperty("items").EnumerateArray()];
    }
}
