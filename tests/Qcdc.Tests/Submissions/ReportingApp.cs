using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Submissions;

/// <summary>The seeded app at a fixed time in Vietnam, with helpers to get keys for units and roles.</summary>
public sealed class ReportingApp : IAsyncDisposable
{
    public const string Q3 = "/api/submissions/QCDC-Q/2024Q3";

    public ReportingApp(AzuriteFixture azurite, DateTimeOffset? now = null, Action<QcdcAppFactory>? configure = null)
    {
        // 10 Sept 2024 in Vietnam: 2024Q3 is open (its communes are due on 16 Sept, it locks after 25 Oct).
        Clock = new FakeTimeProvider(now ?? new DateTimeOffset(2024, 9, 10, 3, 0, 0, TimeSpan.Zero));
        Factory = new QcdcAppFactory(azurite).WithSeeds()
            .WithServices(s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        configure?.Invoke(Factory);
    }

    public FakeTimeProvider Clock { get; }

    public QcdcAppFactory Factory { get; }

    /// <summary>
    /// Rewrites a unit's stored 2024Q3 report row behind the API's back, as an older version or a hand edit could have
    /// left it (the tests of rows that must be survived).
    /// </summary>
    public async Task TamperWithStoredReportAsync(string unit, Action<Azure.Data.Tables.TableEntity> change)
    {
        var services = Factory.Services;
        var table = services.GetRequiredService<Azure.Data.Tables.TableServiceClient>()
            .GetTableClient(services.GetRequiredService<Qcdc.Storage.StorageNames>().Table(Qcdc.Storage.StorageNames.SubmissionsTable));
        var row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>("QCDC-Q|2024Q3", "S|" + unit,
            cancellationToken: TestContext.Current.CancellationToken)).Value;
        change(row);
        await table.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace, TestContext.Current.CancellationToken);
    }

    public HttpClient Admin => Factory.CreateAdminClient();

    /// <summary>Starts the real server (the factory configured with <c>UseKestrel(0)</c>) and answers its address, for a browser.</summary>
    public string StartServer()
    {
        Factory.StartServer();
        return Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>(Factory.Services)
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>Waits until the demo past (Seed:DemoHistory) is written: the file's reports, the quarters, the five-year reports.</summary>
    public async Task WaitForDemoPastAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Factory.Logs.Entries.Count(e => e.Text.StartsWith("Seeded ", StringComparison.Ordinal) && e.Text.Contains("demo reports", StringComparison.Ordinal)) < 3
            && clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        }
    }

    public async Task<HttpClient> ClientAsync(string unit, string role)
    {
        var response = await Admin.PostAsync("/api/manage/keys", HttpJson.Body($$"""{"unit":"{{unit}}","role":"{{role}}"}"""), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", (await response.ReadJsonAsync()).GetProperty("key").GetString());
        return client;
    }

    public Task<HttpClient> ReporterAsync(string unit = "LC-TDG-01") => ClientAsync(unit, "reporter");

    public Task<HttpClient> ReviewerAsync(string unit = "LC-TDG") => ClientAsync(unit, "reviewer");

    public static HttpRequestMessage Put(string url, string values, string? ifMatch = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = HttpJson.Body($$"""{"values":{{values}}}""") };
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

    /// <summary>A report that can be submitted, on the form version in force until 2025Q2 (dialogues at district and commune level).</summary>
    public const string Complete = """{"docs_issued": 3, "receptions": 2, "dialogues": {"district": 0, "commune": 1}, "narrative_results": "Đã tổ chức hội nghị."}""";

    /// <summary>The same report on the version in force from 2025Q3, when districts no longer exist (province and commune levels).</summary>
    public const string CompleteTwoLevel = """{"docs_issued": 3, "receptions": 2, "dialogues": {"province": 0, "commune": 1}, "narrative_results": "Đã tổ chức hội nghị."}""";

    /// <summary>The complete report for the form version in force in <paramref name="period"/>.</summary>
    public static string CompleteFor(string period) =>
        Qcdc.Periods.Period.TryParse(period, out var p) && p.FirstQuarter >= Qcdc.Periods.Period.Quarter(2025, 3).FirstQuarter ? CompleteTwoLevel : Complete;

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
