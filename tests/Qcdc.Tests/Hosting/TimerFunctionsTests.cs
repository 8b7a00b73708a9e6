using Azure;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moq;
using Qcdc.Functions.Jobs;
using Qcdc.Jobs;
using Qcdc.Rollups;
using Qcdc.Tests.Faults;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Hosting;

/// <summary>The timer functions as the Functions host invokes them (TimerInfo as the host sends it), against Azurite.</summary>
public sealed class TimerFunctionsTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATimerInvokedPastDueAfterDowntimeRunsItsJobOnceAndTheRepeatIsSkipped()
    {
        var probe = new JobProbe();
        await using var app = new QcdcAppFactory(azurite).WithServices(s => s.AddSingleton(probe).AddTransient<ProbeJob>());
        var functions = new TimerFunctions([new JobRegistration(QuarterlyRollupJob.Name, "0 0 18 * * *", typeof(ProbeJob))],
            app.Services.GetRequiredService<JobRunner>(), app.Services.GetRequiredService<Qcdc.Storage.StorageInitializer>(), TimeProvider.System,
            app.Services.GetRequiredService<ILogger<TimerFunctions>>());

        var caughtUp = await functions.QuarterlyRollup(new TimerInfo { IsPastDue = true }, Ct);
        var repeated = await functions.QuarterlyRollup(new TimerInfo { IsPastDue = true }, Ct);

        Assert.Equal(JobRunStatus.Succeeded, caughtUp.Status);
        Assert.True(caughtUp.IsPastDue);
        Assert.Equal(JobRunStatus.Skipped, repeated.Status);
        var run = Assert.Single(probe.Runs);
        Assert.True(run.IsPastDue);
        Assert.Equal(JobTrigger.FunctionsHost, run.Trigger);
    }

    [Fact]
    public async Task AFailingRunFailsTheInvocationLogsOnceAndLeavesTheRollupStaleForTheNextRun()
    {
        var failing = false;
        await using var app = new ReportingApp(azurite, configure: f => f.WithServices(s => s.WithThrottledReportScan(() => failing)));
        var services = app.Factory.Services;
        var functions = new TimerFunctions(services.GetServices<JobRegistration>(), services.GetRequiredService<JobRunner>(),
            services.GetRequiredService<Qcdc.Storage.StorageInitializer>(), app.Clock,
            services.GetRequiredService<ILogger<TimerFunctions>>());
        await app.Admin.SendAsync(Put(Q3 + "/LC-TDG-01", Complete), Ct);
        await app.Admin.PostAsync(Q3 + "/LC-TDG-01/submit", null, Ct);

        failing = true;
        var failed = await Assert.ThrowsAsync<JobFailedException>(() => functions.QuarterlyRollup(new TimerInfo(), Ct));
        failing = false;
        var next = await functions.QuarterlyRollup(new TimerInfo(), Ct);

        Assert.Equal(QuarterlyRollupJob.Name, failed.Job);
        Assert.Single(app.Factory.Logs.Entries, e => e.Level == LogLevel.Error && e.Text.Contains("Timer QuarterlyRollup failed", StringComparison.Ordinal));
        Assert.Equal(JobRunStatus.Succeeded, next.Status);
        Assert.Contains("rolled up", next.Summary, StringComparison.Ordinal);
    }
}
