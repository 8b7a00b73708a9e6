using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qcdc.Jobs;

namespace Qcdc.Attachments;

/// <summary>
/// Hourly: removes attachments declared but never completed within <see cref="AttachmentOptions.AbandonedAfter"/>
/// (metadata and any blob), rejected attachments and declaration records of that age, and blobs that no
/// attachment names (left by a crash between deleting a blob's metadata and the blob, or written by hand).
/// </summary>
public sealed partial class AttachmentCleanupJob(
    AttachmentStore store,
    AttachmentBlobs blobs,
    IOptions<AttachmentOptions> options,
    TimeProvider time) : IScheduledJob
{
    public const string Name = "AttachmentCleanup";

    /// <summary>The app setting that holds the schedule (the timer trigger reads <c>%AttachmentCleanupSchedule%</c>).</summary>
    public const string ScheduleSetting = "AttachmentCleanupSchedule";

    /// <summary>The schedule when the setting is absent.</summary>
    public const string Schedule = "0 20 * * * *";

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.AbandonedAfter;
        // Blobs are listed before rows are read: a row is written before its upload URL exists, so a blob seen
        // here either has its row in the scan below or had it deleted, and is never mistaken for an orphan.
        var blobNames = new List<string>();
        await foreach (var name in blobs.ListNamesAsync(cancellationToken))
        {
            blobNames.Add(name);
        }

        var known = new HashSet<(string, string)>();
        int abandoned = 0, rejected = 0, records = 0;
        await foreach (var row in store.ScanAsync(cancellationToken))
        {
            known.Add((row.Partition, row.Row));
            if (row.CreatedAt >= cutoff)
            {
                continue;
            }
            if (AttachmentStore.Parse(row) is { } attachment)
            {
                if (row.Status == AttachmentStatus.Available)
                {
                    continue;
                }
                await blobs.DeleteAsync(Attachment.BlobNameOf(attachment.Key, attachment.Id), cancellationToken);
                if (row.Status == AttachmentStatus.Declared)
                {
                    abandoned++;
                }
                else
                {
                    rejected++;
                }
            }
            else
            {
                records++;
            }
            await store.DeleteAsync(row.Partition, row.Row, cancellationToken);
        }

        var orphans = 0;
        foreach (var name in blobNames)
        {
            if (Attachment.ParseBlobName(name) is { } owner && known.Contains(AttachmentStore.RowOf(owner.Key, owner.Id)))
            {
                continue;
            }
            await blobs.DeleteAsync(name, cancellationToken);
            orphans++;
            LogOrphan(context.Logger, name);
        }
        LogDone(context.Logger, abandoned, rejected, records, orphans);
        return new JobResult($"{abandoned} abandoned, {rejected} rejected, {records} declaration records, {orphans} orphan blobs removed");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed blob {BlobName}: no attachment names it")]
    private static partial void LogOrphan(ILogger logger, string blobName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Attachment cleanup: {Abandoned} abandoned, {Rejected} rejected, {Records} declaration records, {Orphans} orphan blobs removed")]
    private static partial void LogDone(ILogger logger, int abandoned, int rejected, int records, int orphans);
}
