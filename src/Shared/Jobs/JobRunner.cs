using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qcdc.Json;
using Qcdc.Storage;

namespace Qcdc.Jobs;

[JsonConverter(typeof(KebabCaseEnumConverter<JobRunStatus>))]
public enum JobRunStatus
{
    Succeeded,
    Failed,
    /// <summary>Another instance holds the job's lease, or already ran this occurrence.</summary>
    Skipped,
}

public sealed record JobRunOutcome(JobRunStatus Status, string? Summary, IReadOnlyList<string> Logs);

/// <summary>The persisted schedule status of a job, the same shape the Functions timer monitor keeps.</summary>
public sealed record JobScheduleStatus(DateTimeOffset Last, DateTimeOffset? Next, DateTimeOffset LastUpdated);

/// <summary>
/// Runs one job under a blob lease, so that two app instances on one storage account never run the same job at
/// once; renews the lease while the job runs, cancels the job if the lease is lost, and records the occurrence
/// that ran (used for the past-due catch-up and to skip an occurrence another instance already ran).
/// </summary>
public sealed partial class JobRunner(
    IServiceProvider services,
    BlobServiceClient blobs,
    StorageNames names,
    TimeProvider time,
    IOptions<JobOptions> options,
    ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<JobRunner>();

    public async Task<JobRunOutcome> RunAsync(
        JobRegistration job, JobTrigger trigger, bool isPastDue, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(names.Container(StorageNames.JobsContainer));
        var lease = await TryAcquireLeaseAsync(container.GetBlobClient($"{job.Name}.lock"), cancellationToken);
        if (lease is null)
        {
            LogSkipped(job.Name, "another instance holds the lease");
            return new JobRunOutcome(JobRunStatus.Skipped, null, [$"Skipped: another instance is running {job.Name}."]);
        }

        // Cancelled when the lease is lost or the run's budget is spent.
        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        leaseLost.CancelAfter(options.Value.Budget);
        using var renewing = new CancellationTokenSource();
        var renewal = KeepLeaseAsync(lease, leaseLost, renewing.Token);
        try
        {
            var statusBlob = container.GetBlobClient($"{job.Name}.status.json");
            var status = await ReadStatusAsync(statusBlob, cancellationToken);
            // A scheduled occurrence runs once, whoever fires it (the standalone scheduler or the Functions host's timer,
            // a catch-up after downtime included); only a manual run always runs.
            if (trigger != JobTrigger.Manual && status is not null && status.Last >= occurrence)
            {
                LogSkipped(job.Name, "this occurrence already ran");
                return new JobRunOutcome(JobRunStatus.Skipped, null, [$"Skipped: {job.Name} already ran for {occurrence:O}."]);
            }

            var log = new CapturingLogger(loggerFactory.CreateLogger($"Qcdc.Jobs.{job.Name}"));
            LogStarting(job.Name, trigger, isPastDue, occurrence);
            log.LogInformation("Running {Job} for {Occurrence} (trigger {Trigger}, past due {IsPastDue})", job.Name, occurrence, trigger, isPastDue);
            var started = time.GetTimestamp();
            try
            {
                await using var scope = services.CreateAsyncScope();
                var instance = (IScheduledJob)scope.ServiceProvider.GetRequiredService(job.JobType);
                var result = await instance.RunAsync(new JobContext(trigger, isPastDue, occurrence, log), leaseLost.Token);
                log.LogInformation("{Job} finished in {Seconds:F2} s: {Summary}", job.Name, time.GetElapsedTime(started).TotalSeconds, result.Summary);
                await WriteStatusAsync(statusBlob, job, occurrence, cancellationToken);
                return new JobRunOutcome(JobRunStatus.Succeeded, result.Summary, log.Lines);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested
                && (StorageFailures.IsUnavailable(exception) || exception is OperationCanceledException))
            {
                // An outage, or the run's budget spent: one clear line, no stack trace; nothing half-done counts.
                log.LogError("{Job} stopped: storage did not answer ({Reason}). What it wrote before stands; the next run does the work again.",
                    job.Name, exception is OperationCanceledException ? "its time budget or lease ran out" : exception.GetType().Name);
                return new JobRunOutcome(JobRunStatus.Failed, null, log.Lines);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                log.LogError(exception, "{Job} failed: {Error}", job.Name, exception.Message);
                return new JobRunOutcome(JobRunStatus.Failed, null, log.Lines);
            }
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
            await ReleaseQuietlyAsync(lease);
        }
    }

    public async Task<JobScheduleStatus?> ReadStatusAsync(JobRegistration job, CancellationToken cancellationToken) =>
        await ReadStatusAsync(
            blobs.GetBlobContainerClient(names.Container(StorageNames.JobsContainer)).GetBlobClient($"{job.Name}.status.json"),
            cancellationToken);

    private static async Task<JobScheduleStatus?> ReadStatusAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return JsonSerializer.Deserialize(content.Value.Content.ToMemory().Span, JobsJsonContext.Shared.JobScheduleStatus);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task WriteStatusAsync(BlobClient blob, JobRegistration job, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var status = new JobScheduleStatus(occurrence, job.Cron.GetNextOccurrence(now, TimeZoneInfo.Utc), now);
        await blob.UploadAsync(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(status, JobsJsonContext.Shared.JobScheduleStatus)), overwrite: true, cancellationToken);
    }

    private async Task<BlobLeaseClient?> TryAcquireLeaseAsync(BlobClient lockBlob, CancellationToken cancellationToken)
    {
        var lease = lockBlob.GetBlobLeaseClient();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                await lease.AcquireAsync(options.Value.LeaseDuration, cancellationToken: cancellationToken);
                return lease;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                return null;
            }
            catch (RequestFailedException e) when (e.Status == 404 && attempt == 0)
            {
                await CreateLockBlobAsync(lockBlob, cancellationToken);
            }
        }
        return null;
    }

    private static async Task CreateLockBlobAsync(BlobClient lockBlob, CancellationToken cancellationToken)
    {
        try
        {
            await lockBlob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another instance created it first.
        }
    }

    private async Task KeepLeaseAsync(BlobLeaseClient lease, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var interval = options.Value.LeaseDuration / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stop);
                await lease.RenewAsync(cancellationToken: stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is RequestFailedException || StorageFailures.IsUnavailable(exception))
            {
                LogLeaseLost(exception, lease.Uri.AbsolutePath);
                await leaseLost.CancelAsync();
                return;
            }
        }
    }

    private async Task ReleaseQuietlyAsync(BlobLeaseClient lease)
    {
        try
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
        catch (Exception exception) when (exception is RequestFailedException || StorageFailures.IsUnavailable(exception))
        {
            // The lease expires by itself.
            LogReleaseFailed(exception, lease.Uri.AbsolutePath);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting job {Job} (trigger {Trigger}, past due {IsPastDue}, occurrence {Occurrence})")]
    private partial void LogStarting(string job, JobTrigger trigger, bool isPastDue, DateTimeOffset occurrence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} skipped: {Reason}")]
    private partial void LogSkipped(string job, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Lease} could not be renewed; the job is cancelled")]
    private partial void LogLeaseLost(Exception exception, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Lease} could not be released; it will expire")]
    private partial void LogReleaseFailed(Exception exception, string lease);
}
