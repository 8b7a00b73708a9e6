using Azure;
using Azure.Data.Tables;
using Qcdc.Storage;
using Qcdc.Submissions;

namespace Qcdc.Attachments;

/// <summary>The idempotency record of a declaration: the request it answered and the attachment it made.</summary>
public sealed record DeclarationRecord(string RequestHash, string AttachmentId);

/// <summary>One row of the attachments table as the cleanup job sees it.</summary>
public sealed record AttachmentRow(string Partition, string Row, AttachmentStatus? Status, DateTimeOffset CreatedAt);

/// <summary>
/// Attachment metadata: one partition per report (<c>{form}|{period}|{unit}</c>), a row per attachment
/// (<c>A|{id}</c>) and per declaration retried with an Idempotency-Key (<c>I|{key hash}</c>).
/// </summary>
public sealed class AttachmentStore(TableServiceClient tables, StorageNames names)
{
    private const string AttachmentPrefix = "A|";
    private const string IdempotencyPrefix = "I|";

    private TableClient Table { get; } = tables.GetTableClient(names.Table(StorageNames.AttachmentsTable));

    private static string Partition(SubmissionKey key) => StorageKeys.Report(key.Form, key.Period, key.Unit);

    /// <summary>Route values name an attachment only if storage accepts them as keys.</summary>
    private static bool IsKeySafe(SubmissionKey key, string? id = null) => key.IsSafe && (id is null || StorageKeys.IsSafe(id));

    public async Task<Attachment?> GetAsync(SubmissionKey key, string id, CancellationToken cancellationToken)
    {
        if (!IsKeySafe(key, id))
        {
            return null;
        }
        var entity = await Table.GetEntityIfExistsAsync<TableEntity>(Partition(key), AttachmentPrefix + id, cancellationToken: cancellationToken);
        return entity.HasValue ? ToAttachment(key, entity.Value!) : null;
    }

    /// <summary>Every attachment of the report, rejected ones included, oldest first (ids sort by creation time).</summary>
    public async Task<IReadOnlyList<Attachment>> ListAsync(SubmissionKey key, CancellationToken cancellationToken)
    {
        var list = new List<Attachment>();
        if (!IsKeySafe(key))
        {
            return list;
        }
        var partition = Partition(key);
        await foreach (var entity in Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {AttachmentPrefix} and RowKey lt {"A|~"}"),
            cancellationToken: cancellationToken))
        {
            list.Add(ToAttachment(key, entity));
        }
        return list;
    }

    public async Task<DeclarationRecord?> GetDeclarationAsync(SubmissionKey key, string keyHash, CancellationToken cancellationToken)
    {
        var entity = await Table.GetEntityIfExistsAsync<TableEntity>(Partition(key), IdempotencyPrefix + keyHash, cancellationToken: cancellationToken);
        return entity.HasValue ? new DeclarationRecord(entity.Value!.GetString("RequestHash"), entity.Value.GetString("AttachmentId")) : null;
    }

    /// <summary>
    /// Adds a new attachment and, when the declaration carries an Idempotency-Key, its record, in one transaction.
    /// False when a declaration with the same key won the race.
    /// </summary>
    public async Task<bool> AddAsync(Attachment attachment, (string KeyHash, string RequestHash)? idempotency, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, ToEntity(attachment)) };
        if (idempotency is { } record)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(Partition(attachment.Submission), IdempotencyPrefix + record.KeyHash)
            {
                ["RequestHash"] = record.RequestHash,
                ["AttachmentId"] = attachment.Id,
                ["CreatedAt"] = attachment.DeclaredAt,
            }));
        }
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces the attachment if its row is unchanged since it was read; false if another request changed it first.</summary>
    public async Task<bool> UpdateAsync(Attachment attachment, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(ToEntity(attachment), attachment.RowETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task DeleteAsync(string partition, string row, CancellationToken cancellationToken) =>
        await Table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);

    public Task DeleteAsync(Attachment attachment, CancellationToken cancellationToken) =>
        DeleteAsync(Partition(attachment.Submission), AttachmentPrefix + attachment.Id, cancellationToken);

    /// <summary>Every row of the table with what the cleanup needs to judge it, in pages of 1,000.</summary>
    public async IAsyncEnumerable<AttachmentRow> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in Table.QueryAsync<TableEntity>(maxPerPage: 1000, select: ["PartitionKey", "RowKey", "Status", "DeclaredAt", "CreatedAt"],
            cancellationToken: cancellationToken))
        {
            AttachmentStatus? status = Enum.TryParse<AttachmentStatus>(e.GetString("Status"), out var s) ? s : null;
            yield return new AttachmentRow(e.PartitionKey, e.RowKey, status,
                e.GetDateTimeOffset("DeclaredAt") ?? e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);
        }
    }

    /// <summary>The row of the attachment a blob belongs to.</summary>
    public static (string Partition, string Row) RowOf(SubmissionKey key, string id) => (Partition(key), AttachmentPrefix + id);

    public static bool IsAttachmentRow(string row) => row.StartsWith(AttachmentPrefix, StringComparison.Ordinal);

    /// <summary>The report and id of an attachment row.</summary>
    public static (SubmissionKey Key, string Id)? Parse(AttachmentRow row)
    {
        var parts = row.Partition.Split(StorageKeys.Separator);
        return parts.Length == 3 && IsAttachmentRow(row.Row) ? (new SubmissionKey(parts[0], parts[1], parts[2]), row.Row[AttachmentPrefix.Length..]) : null;
    }

    private static TableEntity ToEntity(Attachment a) => new(Partition(a.Submission), AttachmentPrefix + a.Id)
    {
        ["FileName"] = a.FileName,
        ["ContentType"] = a.ContentType,
        ["Size"] = a.Size,
        ["Sha256"] = a.Sha256,
        ["Status"] = a.Status.ToString(),
        ["DeclaredAt"] = a.DeclaredAt,
        ["DeclaredBy"] = a.DeclaredBy,
        ["CompletedAt"] = a.CompletedAt,
        ["RejectReason"] = a.RejectReason?.ToString(),
        ["BlobETag"] = a.BlobETag,
    };

    private static Attachment ToAttachment(SubmissionKey key, TableEntity e) => new(
        key,
        e.RowKey[AttachmentPrefix.Length..],
        e.GetString("FileName"),
        e.GetString("ContentType"),
        e.GetInt64("Size") ?? 0,
        e.GetString("Sha256"),
        Enum.Parse<AttachmentStatus>(e.GetString("Status")),
        e.GetDateTimeOffset("DeclaredAt") ?? DateTimeOffset.MinValue,
        e.GetString("DeclaredBy"),
        e.GetDateTimeOffset("CompletedAt"),
        Enum.TryParse<RejectReason>(e.GetString("RejectReason"), out var reason) ? reason : null,
        e.GetString("BlobETag"))
    {
        RowETag = e.ETag,
    };
}
