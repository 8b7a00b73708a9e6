using System.Diagnostics;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Jobs;
using Qcdc.Storage;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Jobs;

/// <summary>The in-process scheduler and its blob lease, against real Azurite.</summary>
public sealed class JobSchedulerTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private QcdcAppFactory Instance(string prefix, JobProbe probe, string schedule) => new QcdcAppFactory(azurite)
        .With("Storage:Prefix", prefix)
        .With("Jobs:SchedulerEnabled", "true")
        .With("Jobs:LeaseDuration", "00:00:15")
        .WithServices(s => s.AddSingleton(probe).AddScheduledJob<ProbeJob>("ProbeJob", schedule));

    [Fact]
    public async Task TwoInstancesOnOneStorageAccountNeverRunTheSameJobAtOnce()
    {
        var prefix = AzuriteFixture.UniquePrefix();
        var probe = new JobProbe { RunTime = TimeSpan.FromMilliseconds(1500) };
        await using var first = Instance(prefix, probe, "* * * * * *");
        await using var second = Instance(prefix, probe, "* * * * * *");
        _ = first.Services;
        _ = second.Services;

        var clock = Stopwatch.StartNew();
        while (probe.Runs.Count < 3 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(250, Ct);
        }

        Assert.True(probe.Runs.Count >= 3, $"only {probe.Runs.Count} runs");
        Assert.Equal(1, probe.MaxConcurrent);
        var skips = first.Logs.Entries.Concat(second.Logs.Entries).Count(e => e.Text.Contains("Job ProbeJob skipped", StringComparison.Ordinal));
        Assert.True(skips > 0, "the second instance never met the first one's lease");
    }

    [Fact]
    public async Task AJobWhoseLeaseHolderDiedRunsOnceTheLeaseExpires()
    {
        var probe = new JobProbe();
        await using var app = Instance(AzuriteFixture.UniquePrefix(), probe, "0 0 18 * * *").With("Jobs:SchedulerEnabled", "false");
        var runner = app.Services.GetRequiredService<JobRunner>();
        var job = app.Services.GetServices<JobRegistration>().Single(j => j.Name == "ProbeJob");
        // Another instance took the lease and died without releasing it.
        await app.Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(Ct);
        var lockBlob = app.Blobs.GetBlobContainerClient(app.Names.Container(StorageNames.JobsContainer)).GetBlobClient("ProbeJob.lock");
        await lockBlob.UploadAsync(BinaryData.Empty, overwrite: true, Ct);
        await lockBlob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: Ct);
        var clock = Stopwatch.StartNew();

        var blocked = await runner.RunAsync(job, JobTrigger.Manual, false, DateTimeOffset.UtcNow, Ct);
        Assert.Equal(JobRunStatus.Skipped, blocked.Status);
        Assert.Empty(probe.Runs);

        JobRunOutcome outcome;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            outcome = await runner.RunAsync(job, JobTrigger.Manual, false, DateTimeOffset.UtcNow, Ct);
        }
        // The lease is Azurite's, on the wall clock: the bound only ends a test that would otherwise wait for ever, and is
        // generous so that a loaded machine's slow tries are not mistaken for a lease that never expires.
        while (outcome.Status == JobRunStatus.Skipped && clock.Elapsed < TimeSpan.FromSeconds(120));

        Assert.Equal(JobRunStatus.Succeeded, outcome.Status);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(13), $"ran after {clock.Elapsed}, before the dead holder's lease expired");
        Assert.Single(probe.Runs);
    }

    [Fact]
    public async Task AMissedOccurrenceRunsOnceAsPastDueWhenTheSchedulerStarts()
    {
        var prefix = AzuriteFixture.UniquePrefix();
        var probe = new JobProbe();
        // The job last ran three days ago; its daily runs since were missed while the app was down.
        await using (var setup = Instance(prefix, probe, "0 0 18 * * *").With("Jobs:SchedulerEnabled", "false"))
        {
            var container = setup.Blobs.GetBlobContainerClient(setup.Names.Container(StorageNames.JobsContainer));
            await container.CreateIfNotExistsAsync(cancellationToken: Ct);
            var last = DateTimeOffset.UtcNow.AddDays(-3);
            await container.GetBlobClient("ProbeJob.status.json").UploadAsync(
                BinaryData.FromObjectAsJson(new JobScheduleStatus(last, last.AddDays(1), last)), overwrite: true, Ct);
        }

        await using var app = Instance(prefix, probe, "0 0 18 * * *");
        _ = app.Services;
        var clock = Stopwatch.StartNew();
        while (probe.Runs.IsEmpty && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100, Ct);
        }
        await Task.Delay(500, Ct);

        var run = Assert.Single(probe.Runs);
        Assert.True(run.IsPastDue);
        Assert.Equal(JobTrigger.Scheduler, run.Trigger);
        Assert.True(run.Occurrence <= DateTimeOffset.UtcNow && run.Occurrence > DateTimeOffset.UtcNow.AddDays(-1));
    }

    [Fact]
    public async Task NoCatchUpRunWhenNothingWasMissed()
    {
        var prefix = AzuriteFixture.UniquePrefix();
        var probe = new JobProbe();
        await using (var setup = Instance(prefix, probe, "0 0 18 * * *").With("Jobs:SchedulerEnabled", "false"))
        {
            var container = setup.Blobs.GetBlobContainerClient(setup.Names.Container(StorageNames.JobsContainer));
            await container.CreateIfNotExistsAsync(cancellationToken: Ct);
            var job = setup.Services.GetServices<JobRegistration>().Single(j => j.Name == "ProbeJob");
            var last = job.Cron.GetOccurrences(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow, TimeZoneInfo.Utc).Last();
            await container.GetBlobClient("ProbeJob.status.json").UploadAsync(
                BinaryData.FromObjectAsJson(new JobScheduleStatus(last, null, last)), overwrite: true, Ct);
        }

        await using var app = Instance(prefix, probe, "0 0 18 * * *");
        _ = app.Services;
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);

        Assert.Empty(probe.Runs);
    }
}
