using Microsoft.Azure.Functions.Worker;
using Qcdc.Attachments;
using Qcdc.Jobs;
using Qcdc.Notifications;
using Qcdc.Rollups;
using Qcdc.Security;
using Qcdc.Storage;

namespace Qcdc.Functions.Jobs;

/// <summary>What a timer run did, as the function's result (the host logs it).</summary>
public sealed record TimerRunResult(string Job, JobRunStatus Status, string? Summary, bool IsPastDue);

/// <summary>
/// The timer jobs as the Functions host triggers them: each schedule is an app setting (6-field NCRONTAB, UTC), the
/// same one the standalone scheduler reads. The job runs under the same blob lease and budget in both modes; a run
/// that fails throws, so that the host records the invocation as failed (it does not retry; the next occurrence,
/// or the stale marks the run left, take it up).
/// </summary>
public sealed partial class TimerFunctions(
    IEnumerable<JobRegistration> jobs, JobRunner runner, StorageInitializer storage, TimeProvider time, ILogger<TimerFunctions> logger)
{
    [Function(QuarterlyRollupJob.Name)]
    public Task<TimerRunResult> QuarterlyRollup([TimerTrigger("%" + QuarterlyRollupJob.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(QuarterlyRollupJob.Name, timer, cancellationToken);

    [Function(PeriodRollupJob.Name)]
    public Task<TimerRunResult> PeriodRollup([TimerTrigger("%" + PeriodRollupJob.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(PeriodRollupJob.Name, timer, cancellationToken);

    [Function(DeadlineRemindersJob.Name)]
    public Task<TimerRunResult> DeadlineReminders([TimerTrigger("%" + DeadlineRemindersJob.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(DeadlineRemindersJob.Name, timer, cancellationToken);

    [Function(NotificationDispatchJob.Name)]
    public Task<TimerRunResult> NotificationDispatch([TimerTrigger("%" + NotificationDispatchJob.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(NotificationDispatchJob.Name, timer, cancellationToken);

    [Function(NoticeDeliveryJob.Name)]
    public Task<TimerRunResult> NoticeDelivery([TimerTrigger("%" + NoticeDeliveryJob.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(NoticeDeliveryJob.Name, timer, cancellationToken);

    [Function(AttachmentCleanupJob.Name)]
    public Task<TimerRunResult> AttachmentCleanup([TimerTrigger("%" + AttachmentCleanupJob.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(AttachmentCleanupJob.Name, timer, cancellationToken);

    [Function(SessionCleanupJob.Name)]
    public Task<TimerRunResult> SessionCleanup([TimerTrigger("%" + SessionCleanupJob.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(SessionCleanupJob.Name, timer, cancellationToken);

    /// <summary>Runs the job for the occurrence the trigger fired for (the latest one due; after downtime, one catch-up marked past due).</summary>
    internal async Task<TimerRunResult> RunAsync(string name, TimerInfo timer, CancellationToken cancellationToken)
    {
        var job = jobs.Single(j => j.Name == name);
        // A fresh deployment's first timer may fire while the start still creates the tables and containers.
        await storage.Ready.WaitAsync(cancellationToken);
        var now = time.GetUtcNow();
        var occurrence = job.Cron.GetOccurrences(now.AddDays(-8), now, TimeZoneInfo.Utc, fromInclusive: true, toInclusive: true)
            .DefaultIfEmpty(now).Last();
        var outcome = await runner.RunAsync(job, JobTrigger.FunctionsHost, timer.IsPastDue, occurrence, cancellationToken);
        if (outcome.Status == JobRunStatus.Failed)
        {
            LogFailed(name, occurrence);
            throw new JobFailedException(name, outcome.Summary);
        }
        return new TimerRunResult(job.Name, outcome.Status, outcome.Summary, timer.IsPastDue);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer {Job} failed for {Occurrence}; the next run takes it up")]
    private partial void LogFailed(string job, DateTimeOffset occurrence);
}

/// <summary>A timer job that failed: thrown so that the Functions host records the invocation as failed.</summary>
public sealed class JobFailedException(string job, string? summary) : Exception($"The job {job} failed: {summary ?? "see its log"}")
{
    public string Job { get; } = job;
}
