using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qcdc.Storage;

namespace Qcdc.Jobs;

/// <summary>
/// Runs every registered job on its schedule when the app runs without the Azure Functions host. Like the host's
/// timer trigger, it sends one catch-up run marked past due when an occurrence was missed while the app was down.
/// </summary>
public sealed partial class JobScheduler(
    IEnumerable<JobRegistration> jobs,
    JobRunner runner,
    StorageInitializer storage,
    TimeProvider time,
    IOptions<JobOptions> options,
    ILogger<JobScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SchedulerEnabled)
        {
            return;
        }
        try
        {
            await storage.Ready.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await Task.WhenAll(jobs.Select(job => RunOnScheduleAsync(job, stoppingToken)));
    }

    private async Task RunOnScheduleAsync(JobRegistration job, CancellationToken stoppingToken)
    {
        LogScheduled(job.Name, job.Schedule);
        await CatchUpAsync(job, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = job.Cron.GetNextOccurrence(now, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }
            try
            {
                await Task.Delay(next.Value - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await RunSafelyAsync(job, isPastDue: false, next.Value, stoppingToken);
        }
    }

    private async Task CatchUpAsync(JobRegistration job, CancellationToken stoppingToken)
    {
        try
        {
            var status = await runner.ReadStatusAsync(job, stoppingToken);
            var now = time.GetUtcNow();
            var missed = status is null ? null : job.Cron.GetNextOccurrence(status.Last, TimeZoneInfo.Utc);
            if (missed is not null && missed < now)
            {
                var latest = job.Cron.GetOccurrences(missed.Value, now, TimeZoneInfo.Utc, fromInclusive: true, toInclusive: true).Last();
                await RunSafelyAsync(job, isPastDue: true, latest, stoppingToken);
            }
        }
        catch (Exception exception) when (StorageFailures.IsUnavailable(exception))
        {
            LogCatchUpFailed(exception, job.Name);
        }
    }

    private async Task RunSafelyAsync(JobRegistration job, bool isPastDue, DateTimeOffset occurrence, CancellationToken stoppingToken)
    {
        try
        {
            var outcome = await runner.RunAsync(job, JobTrigger.Scheduler, isPastDue, occurrence, stoppingToken);
            LogRan(job.Name, outcome.Status, occurrence);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (StorageFailures.IsUnavailable(exception))
        {
            LogRunFailed(exception, job.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler: job {Job} runs on '{Schedule}' (UTC)")]
    private partial void LogScheduled(string job, string schedule);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler: job {Job} {Status} for {Occurrence}")]
    private partial void LogRan(string job, JobRunStatus status, DateTimeOffset occurrence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduler: job {Job} could not run because storage is unreachable")]
    private partial void LogRunFailed(Exception exception, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduler: could not check whether job {Job} missed a run")]
    private partial void LogCatchUpFailed(Exception exception, string job);
}
