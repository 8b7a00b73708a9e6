using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Qcdc.Storage;

namespace Qcdc.Submissions;

/// <summary>The idempotency record of one write: the request it answered and the revision it produced.</summary>
public sealed record IdempotencyRecord(string RequestHash, int Status, int Revision);

public enum CommitResult
{
    Committed,
    /// <summary>The current state changed since it was read (stale ETag or a concurrent first write).</summary>
    Conflict,
}

/// <summary>
/// Submissions in one partition per (form, period): the current state <c>S|{unit}</c>, its revisions
/// <c>R|{unit}|{revision:D6}</c> and idempotency records <c>I|{unit}|{key hash}</c>, written together in one
/// entity-group transaction so that a write changes all three or none. Text indicators are kept in properties of
/// their own so that the rollup scan can leave them out.
/// </summary>
public sealed class SubmissionStore(TableServiceClient tables, StorageNames names)
{
    private const string ValuesProperty = "Values";
    private const string TextPrefix = "Text_";

    private TableClient Table { get; } = tables.GetTableClient(names.Table(StorageNames.SubmissionsTable));

    public static string CurrentRow(string unit) => $"S|{unit}";

    public static string RevisionRow(string unit, int revision) => $"R|{unit}|{revision.ToString("D6", CultureInfo.InvariantCulture)}";

    public static string IdempotencyRow(string unit, string keyHash) => $"I|{unit}|{keyHash}";

    public async Task<(Submission? Submission, ETag TableETag)> GetAsync(SubmissionKey key, CancellationToken cancellationToken)
    {
        var entity = await Table.GetEntityIfExistsAsync<TableEntity>(key.Partition, CurrentRow(key.Unit), cancellationToken: cancellationToken);
        return entity.HasValue ? (ToSubmission(key, entity.Value!), entity.Value!.ETag) : (null, default);
    }

    public async Task<IdempotencyRecord?> GetIdempotencyAsync(SubmissionKey key, string keyHash, CancellationToken cancellationToken)
    {
        var entity = await Table.GetEntityIfExistsAsync<TableEntity>(key.Partition, IdempotencyRow(key.Unit, keyHash), cancellationToken: cancellationToken);
        return entity.HasValue
            ? new IdempotencyRecord(entity.Value!.GetString("RequestHash"), entity.Value.GetInt32("Status") ?? 200, entity.Value.GetInt32("Revision") ?? 0)
            : null;
    }

    /// <summary>The state as it was right after the given revision (a revision row holds the whole state).</summary>
    public async Task<Submission?> GetStateAtAsync(SubmissionKey key, int revision, CancellationToken cancellationToken)
    {
        var entity = await Table.GetEntityIfExistsAsync<TableEntity>(key.Partition, RevisionRow(key.Unit, revision), cancellationToken: cancellationToken);
        return entity.HasValue ? ToSubmission(key, entity.Value!) : null;
    }

    public async Task<IReadOnlyList<SubmissionRevision>> HistoryAsync(SubmissionKey key, CancellationToken cancellationToken)
    {
        var from = $"R|{key.Unit}|";
        var to = $"R|{key.Unit}|~";
        var revisions = new List<SubmissionRevision>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(
            e => e.PartitionKey == key.Partition && string.Compare(e.RowKey, from) > 0 && string.Compare(e.RowKey, to) < 0,
            cancellationToken: cancellationToken))
        {
            revisions.Add(ToRevision(entity));
        }
        return revisions;
    }

    /// <summary>Current states of the partition from <paramref name="afterUnit"/> on (exclusive), in unit order.</summary>
    public IAsyncEnumerable<Page<TableEntity>> ScanCurrentAsync(string partition, string? afterUnit, int pageSize, CancellationToken cancellationToken)
    {
        var from = afterUnit is null ? "S|" : CurrentRow(afterUnit);
        return Table.QueryAsync<TableEntity>(
                e => e.PartitionKey == partition && string.Compare(e.RowKey, from) > 0 && string.Compare(e.RowKey, "S|~") < 0,
                maxPerPage: pageSize,
                cancellationToken: cancellationToken)
            .AsPages(pageSizeHint: pageSize);
    }

    /// <summary>
    /// The figures of every current report in one (form, period) partition, read in pages of 1,000 without the
    /// narratives: what a rollup needs, in ⌈reports / 1000⌉ storage reads.
    /// </summary>
    public async Task<(IReadOnlyList<Qcdc.Rollups.ReportFigures> Reports, int Reads)> ReadFiguresAsync(string partition, CancellationToken cancellationToken)
    {
        var reports = new List<Qcdc.Rollups.ReportFigures>();
        var reads = 0;
        await foreach (var page in Table.QueryAsync<TableEntity>(
            e => e.PartitionKey == partition && string.Compare(e.RowKey, "S|") > 0 && string.Compare(e.RowKey, "S|~") < 0,
            maxPerPage: 1000, select: ["Unit", "Status", "Late", ValuesProperty], cancellationToken: cancellationToken).AsPages(pageSizeHint: 1000))
        {
            reads++;
            reports.AddRange(page.Values.Select(e => new Qcdc.Rollups.ReportFigures(
                e.GetString("Unit"), Enum.Parse<SubmissionStatus>(e.GetString("Status")), e.GetBoolean("Late") ?? false, ReadValues(e))));
        }
        return (reports, reads);
    }

    /// <summary>
    /// Writes the new current state, its revision, the partition's change mark and (when given) the idempotency
    /// record in one transaction.
    /// The current state is inserted when <paramref name="previous"/> is null, else replaced only if it still
    /// carries that table ETag.
    /// </summary>
    public async Task<CommitResult> CommitAsync(
        Submission next, ETag? previous, SubmissionRevision revision, (string KeyHash, string RequestHash, int Status)? idempotency,
        CancellationToken cancellationToken)
    {
        var key = next.Key;
        var current = ToEntity(next, CurrentRow(key.Unit));
        var history = ToEntity(next, RevisionRow(key.Unit, revision.Revision));
        history["Action"] = revision.Action.ToString();
        history["Backfill"] = revision.Backfill;
        history["Changed"] = JsonSerializer.Serialize([.. revision.Changed], Qcdc.Json.QcdcJson.Context.ListString);
        history["Reason"] = revision.Reason;
        var actions = new List<TableTransactionAction>
        {
            previous is { } etag
                ? new(TableTransactionActionType.UpdateReplace, current, etag)
                : new(TableTransactionActionType.Add, current),
            new(TableTransactionActionType.Add, history),
            ChangeMarkers.Mark(key.Partition, revision.At),
        };
        if (idempotency is { } record)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(key.Partition, IdempotencyRow(key.Unit, record.KeyHash))
            {
                ["RequestHash"] = record.RequestHash,
                ["Status"] = record.Status,
                ["Revision"] = revision.Revision,
                ["CreatedAt"] = revision.At,
            }));
        }
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
            return CommitResult.Committed;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return CommitResult.Conflict;
        }
    }

    public static Submission ToSubmission(SubmissionKey key, TableEntity e) => new(
        key with { Unit = e.GetString("Unit") },
        Enum.Parse<SubmissionStatus>(e.GetString("Status")),
        e.GetInt32("Revision") ?? 0,
        e.GetInt32("FormVersion") ?? 0,
        ReadValues(e),
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
        e.GetString("UpdatedBy"),
        e.GetDateTimeOffset("SubmittedAt"),
        e.GetString("SubmittedBy"),
        e.GetBoolean("Late") ?? false,
        e.GetString("ReturnReason"));

    /// <summary>The non-text values as stored, parsed on their own (what a rollup needs).</summary>
    public static JsonObject ReadValues(TableEntity e)
    {
        var values = e.GetString(ValuesProperty) is { } json ? JsonNode.Parse(json)!.AsObject() : [];
        foreach (var (name, value) in e)
        {
            if (name.StartsWith(TextPrefix, StringComparison.Ordinal) && value is string text)
            {
                values[name[TextPrefix.Length..]] = text;
            }
        }
        return values;
    }

    /// <summary>The current-state entity exactly as a write stores it (the ingest benchmark's bare payload).</summary>
    public static TableEntity ToCurrentEntity(Submission s) => ToEntity(s, CurrentRow(s.Key.Unit));

    private static TableEntity ToEntity(Submission s, string rowKey)
    {
        var entity = new TableEntity(s.Key.Partition, rowKey)
        {
            ["Unit"] = s.Key.Unit,
            ["Status"] = s.Status.ToString(),
            ["Revision"] = s.Revision,
            ["FormVersion"] = s.FormVersion,
            ["UpdatedAt"] = s.UpdatedAt,
            ["UpdatedBy"] = s.UpdatedBy,
            ["SubmittedAt"] = s.SubmittedAt,
            ["SubmittedBy"] = s.SubmittedBy,
            ["Late"] = s.Late,
            ["ReturnReason"] = s.ReturnReason,
        };
        WriteValues(entity, s.Values);
        return entity;
    }

    private static SubmissionRevision ToRevision(TableEntity e) => new(
        e.GetInt32("Revision") ?? 0,
        Enum.Parse<SubmissionAction>(e.GetString("Action")),
        Enum.Parse<SubmissionStatus>(e.GetString("Status")),
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
        e.GetString("UpdatedBy"),
        e.GetBoolean("Backfill") ?? false,
        JsonSerializer.Deserialize(e.GetString("Changed") ?? "[]", Qcdc.Json.QcdcJson.Context.ListString) ?? [],
        e.GetString("Reason"),
        e.GetInt32("FormVersion") ?? 0,
        ReadValues(e));

    private static void WriteValues(TableEntity entity, JsonObject values)
    {
        var numbers = new JsonObject();
        foreach (var (code, value) in values)
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                entity[TextPrefix + code] = v.GetValue<string>();
            }
            else
            {
                numbers[code] = value?.DeepClone();
            }
        }
        entity[ValuesProperty] = numbers.ToJsonString();
    }
}
