using System.Diagnostics;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Moq;
using Qcdc.Development.DevStorage;
using Qcdc.Jobs;
using Qcdc.Rollups;
using Qcdc.Storage;
using Qcdc.Submissions;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Faults;

/// <summary>A timer job cut short by a storage outage leaves what it wrote before, gives up its lease, says so once, and the next run completes.</summary>
public sealed class JobOutageTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARollupRunThatStorageFailsLeavesThePreviousTotalsAndTheNextRunCompletes()
    {
        var failing = false;
        await using var app = new ReportingApp(azurite, configure: f => f.WithServices(s => s.WithThrottledReportScan(() => failing)));
        var runner = app.Factory.Services.GetRequiredService<JobRunner>();
        var job = app.Factory.Services.GetServices<JobRegistration>().Single(j => j.Name == QuarterlyRollupJob.Name);
        async Task<JobRunOutcome> RunAsync() => await runner.RunAsync(job, JobTrigger.Manual, false, app.Clock.GetUtcNow(), Ct);
        async Task<int> DistrictTotalAsync() =>
            (await (await app.Admin.GetAsync("/api/rollups/QCDC-Q/2024Q3/LC-TDG", Ct)).ReadJsonAsync()).GetProperty("values").GetProperty("docs_issued").GetInt32();
        await app.Admin.SendAsync(Put(Q3 + "/LC-TDG-01", Complete), Ct);
        await app.Admin.PostAsync(Q3 + "/LC-TDG-01/submit", null, Ct);
        Assert.Equal(JobRunStatus.Succeeded, (await RunAsync()).Status);
        Assert.Equal(3, await DistrictTotalAsync());

        await app.Admin.PostAsync(Q3 + "/LC-TDG-01/return", HttpJson.Body("""{"reason": "Sửa số văn bản"}"""), Ct);
        await app.Admin.SendAsync(Put(Q3 + "/LC-TDG-01", Complete.Replace("\"docs_issued\": 3", "\"docs_issued\": 5", StringComparison.Ordinal), "\"3\""), Ct);
        await app.Admin.PostAsync(Q3 + "/LC-TDG-01/submit", null, Ct);
        var errorsBefore = app.Factory.Logs.Entries.Count(e => e.Level >= LogLevel.Error);
        failing = true;
        var cut = await RunAsync();
        var totalMeanwhile = await DistrictTotalAsync();
        failing = false;
        var errors = app.Factory.Logs.Entries.Where(e => e.Level >= LogLevel.Error).Skip(errorsBefore).ToList();
        var next = await RunAsync();

        Assert.Equal(JobRunStatus.Failed, cut.Status);
        var error = Assert.Single(errors);
        Assert.Contains("stopped: storage did not answer", error.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Text, StringComparison.Ordinal); // one clear line, no stack trace
        Assert.Equal(3, totalMeanwhile);
        Assert.Equal(JobRunStatus.Succeeded, next.Status); // the lease was given up: no wait for it to expire
        Assert.Equal(5, await DistrictTotalAsync());
    }

    [Fact]
    public async Task HealthIs503WhileStorageIsFrozenAnd200WhenItIsBack()
    {
        await using var storage = await AzuriteProcess.StartAsync(new AzuriteStartOptions { RepositoryRoot = AzuriteFixture.RepositoryRoot }, Ct);
        await using var app = new QcdcAppFactory(azurite).With("Storage:ConnectionString", storage.ConnectionString);
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health", Ct)).StatusCode);

        Signal(storage.ProcessId, "STOP");
        HttpResponseMessage frozen;
        var clock = Stopwatch.StartNew();
        try
        {
            frozen = await client.GetAsync("/api/health", Ct);
        }
        finally
        {
            clock.Stop();
            Signal(storage.ProcessId, "CONT");
        }
        var back = await client.GetAsync("/api/health", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, frozen.StatusCode);
        Assert.NotNull(frozen.Headers.RetryAfter);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    private static void Signal(int processId, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}
