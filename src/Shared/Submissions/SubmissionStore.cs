using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Qcdc.Json;
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
/// The only class that touches the submissions table. One partition per (form, period) holds the current states
/// <c>S|{unit}</c>, their revisions <c>R|{unit}|{revision:D6}</c> and idempotency records <c>I|{unit}|{key hash}</c>,
/// and two kinds of row that belong to other features, offered to them through the ports it implements:
/// <see cref="IChangeMarks"/> (the rollups' <c>M|changed</c>) and <see cref="INoticeOutbox"/> (the notices'
/// <c>N|{unit}|{revision}</c>); why they live here is said once, beside those ports. Text indicators
/// are kept in properties of their own so that the rollup scan can leave them out.
/// </summary>
public sealed partial class SubmissionStore(TableServiceClient tables, StorageNames names, TimeProvider? time = null, ILogger<SubmissionStore>? logger = null)
    : IChangeMarks, INoticeOutbox
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Change marks last read or written by this instance, per partition, with when.</summary>
    private readonly ConcurrentDictionary<string, (string? Stamp, long At)> _marks = new(StringComparer.Ordinal);

    private const string ValuesProperty = "Values";
    private const string TextPrefix = "Text_";
    private const string ChangeRow = "M|changed";

    private TableClient Table { get; } = tables.GetTableClient(names.Table(StorageNames.SubmissionsTable));

    private static string CurrentRow(string unit) => $"S|{unit}";

    private static string RevisionRow(string unit, int revision) => $"R|{unit}|{revision.ToString("D6", CultureInfo.InvariantCulture)}";

    private static string IdempotencyRow(string unit, string keyHash) => $"I|{unit}|{keyHash}";

    /// <summary>A state change people are told about (submitted, approved, returned), waiting for the notice dispatcher.</summary>
    private static string NoticeEventRow(string unit, int revision) => $"N|{unit}|{revision.ToString("D6", CultureInfo.InvariantCulture)}";

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
        var revisions = new List<SubmissionRevision>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(RowRange(key.Partition, $"R|{key.Unit}|", $"R|{key.Unit}|~"), cancellationToken: cancellationToken))
        {
            if (TryRead(entity, e => ToRevision(key, e)) is { } revision)
            {
                revisions.Add(revision);
            }
        }
        return revisions;
    }

    /// <summary>The reports of a (form, period) after <paramref name="afterUnit"/> (exclusive), in unit order, without their values.</summary>
    public async IAsyncEnumerable<ReportHeader> ListAsync(
        string form, string period, string? afterUnit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = afterUnit is null ? "S|" : CurrentRow(afterUnit);
        await foreach (var e in Table.QueryAsync<TableEntity>(RowRange(StorageKeys.FormPeriod(form, period), from, "S|~"), maxPerPage: 1000,
            select: ["Unit", "Status", "Revision", "UpdatedAt", "SubmittedAt", "Late", "CheckErrors", "CheckWarnings", "OpenFollowUps"], cancellationToken: cancellationToken))
        {
            if (TryRead(e, e => new ReportHeader(e.GetString("Unit"), Enum.Parse<SubmissionStatus>(e.GetString("Status")), e.GetInt32("Revision") ?? 0,
                e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue, e.GetDateTimeOffset("SubmittedAt"), e.GetBoolean("Late") ?? false,
                e.GetInt32("CheckErrors") ?? 0, e.GetInt32("CheckWarnings") ?? 0, e.GetInt32("OpenFollowUps") ?? 0)) is { } header)
            {
                yield return header;
            }
        }
    }

    /// <summary>The current reports of a (form, period) whole — numbers and narratives — in unit order, a page at a time (exports).</summary>
    public async IAsyncEnumerable<Submission> ScanAsync(string form, string period, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = new SubmissionKey(form, period, "");
        await foreach (var e in Table.QueryAsync<TableEntity>(RowRange(StorageKeys.FormPeriod(form, period), "S|", "S|~"), maxPerPage: 1000,
            cancellationToken: cancellationToken))
        {
            if (TryRead(e, e => ToSubmission(key, e)) is { } submission)
            {
                yield return submission;
            }
        }
    }

    /// <summary>One current report as a rollup reads it: its unit, state, lateness, when it was sent, and its numbers as UTF-8 JSON.</summary>
    public delegate void ReportFiguresHandler(string unit, SubmissionStatus status, bool late, DateTimeOffset? submittedAt, ReadOnlySpan<byte> numbers);

    /// <summary>
    /// Scans the current reports of a (form, period) in pages of 1,000 without their narratives, handing each to
    /// <paramref name="onReport"/> while the next page is already being fetched; answers the number of storage reads
    /// (⌈reports / 1000⌉, at least 1).
    /// </summary>
    public async Task<int> ScanFiguresAsync(string form, string period, ReportFiguresHandler onReport, CancellationToken cancellationToken)
    {
        var reads = 0;
        var buffer = new byte[16 * 1024];
        await using var pages = Table.QueryAsync<TableEntity>(RowRange(StorageKeys.FormPeriod(form, period), "S|", "S|~"),
            maxPerPage: 1000, select: ["Unit", "Status", "Late", "SubmittedAt", ValuesProperty], cancellationToken: cancellationToken)
            .AsPages(pageSizeHint: 1000).GetAsyncEnumerator(cancellationToken);
        var next = pages.MoveNextAsync();
        while (await next)
        {
            var page = pages.Current;
            next = pages.MoveNextAsync();
            reads++;
            foreach (var e in page.Values)
            {
                var json = e.GetString(ValuesProperty) ?? "{}";
                if (System.Text.Encoding.UTF8.GetMaxByteCount(json.Length) > buffer.Length)
                {
                    buffer = new byte[System.Text.Encoding.UTF8.GetMaxByteCount(json.Length)];
                }
                var length = System.Text.Encoding.UTF8.GetBytes(json, buffer);
                // A row that cannot be read is left out (and logged), so that one unit's row never stops the rollup.
                if (!Enum.TryParse<SubmissionStatus>(e.GetString("Status"), out var status) || !IsJsonObject(buffer.AsSpan(0, length)))
                {
                    LogUnreadable(e.PartitionKey, e.RowKey, "status or figures");
                    continue;
                }
                onReport(e.GetString("Unit"), status, e.GetBoolean("Late") ?? false, e.GetDateTimeOffset("SubmittedAt"), buffer.AsSpan(0, length));
            }
        }
        return Math.Max(reads, 1);
    }

    /// <summary>
    /// The rows of a (form, period) that cannot be read — written by an older version or by hand — with their keys and
    /// why, so that an administrator can repair them; readers skip them meanwhile.
    /// </summary>
    public async Task<IReadOnlyList<UnreadableRow>> FindUnreadableAsync(string form, string period, CancellationToken cancellationToken)
    {
        var found = new List<UnreadableRow>();
        await foreach (var e in Table.QueryAsync<TableEntity>(RowRange(StorageKeys.FormPeriod(form, period), "R|", "S|~"), maxPerPage: 1000,
            cancellationToken: cancellationToken))
        {
            var key = new SubmissionKey(form, period, e.GetString("Unit") ?? "");
            try
            {
                _ = e.RowKey.StartsWith("S|", StringComparison.Ordinal) ? ToSubmission(key, e) : (object)ToRevision(key, e);
            }
            catch (Exception ex) when (IsUnreadable(ex))
            {
                found.Add(new UnreadableRow(e.PartitionKey, e.RowKey, ex.GetType().Name));
            }
        }
        return found;
    }

    private T? TryRead<T>(TableEntity entity, Func<TableEntity, T> read) where T : class
    {
        try
        {
            return read(entity);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            LogUnreadable(entity.PartitionKey, entity.RowKey, e.GetType().Name);
            return null;
        }
    }

    private static bool IsUnreadable(Exception e) =>
        e is JsonException or FormatException or ArgumentException or InvalidOperationException or InvalidCastException or KeyNotFoundException;

    private static bool IsJsonObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void LogUnreadable(string partition, string row, string reason)
    {
        if (logger is not null)
        {
            LogUnreadableRow(logger, partition, row, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped the stored row {Partition} / {Row}: it cannot be read ({Reason}); GET /api/manage/unreadable lists such rows")]
    private static partial void LogUnreadableRow(ILogger logger, string partition, string row, string reason);

    /// <summary>The partition's last change: a stamp new with every change, and its time; null if it never changed (one point read).</summary>
    public async Task<(string Stamp, DateTimeOffset ChangedAt)?> LastChangeAsync(string form, string period, CancellationToken cancellationToken)
    {
        var partition = StorageKeys.FormPeriod(form, period);
        var mark = await Table.GetEntityIfExistsAsync<TableEntity>(partition, ChangeRow, ["ChangedAt", "Stamp"], cancellationToken);
        var result = mark.HasValue ? (mark.Value!.GetString("Stamp"), mark.Value.GetDateTimeOffset("ChangedAt") ?? DateTimeOffset.MinValue) : ((string, DateTimeOffset)?)null;
        _marks[partition] = (result?.Item1, _time.GetTimestamp());
        return result;
    }

    /// <summary>
    /// The partition's change stamp, read again only when the one this instance last read or wrote is older than
    /// <paramref name="maxAge"/>: a write through this instance is seen at once, one through another within maxAge.
    /// </summary>
    public async Task<string?> ChangeStampAsync(string form, string period, TimeSpan maxAge, CancellationToken cancellationToken)
    {
        if (_marks.TryGetValue(StorageKeys.FormPeriod(form, period), out var known) && _time.GetElapsedTime(known.At) < maxAge)
        {
            return known.Stamp;
        }
        return (await LastChangeAsync(form, period, cancellationToken))?.Stamp;
    }

    /// <summary>
    /// Writes the new current state, its revision, the partition's change mark and (when given) the idempotency
    /// record in one transaction. The current state is inserted when <paramref name="previous"/> is null, else
    /// replaced only if it still carries that table ETag.
    /// </summary>
    public async Task<CommitResult> CommitAsync(
        Submission next, ETag? previous, SubmissionRevision revision, (string KeyHash, string RequestHash, int Status)? idempotency,
        CancellationToken cancellationToken)
    {
        var key = next.Key;
        var current = ToEntity(next, CurrentRow(key.Unit));
        var history = ToEntity(next, RevisionRow(key.Unit, revision.Revision));
        var stamp = Guid.NewGuid().ToString("N");
        history["Action"] = revision.Action.ToString();
        history["Backfill"] = revision.Backfill;
        history["Changed"] = JsonSerializer.Serialize([.. revision.Changed], QcdcJson.Context.ListString);
        history["Reason"] = revision.Reason;
        var actions = new List<TableTransactionAction>
        {
            previous is { } etag
                ? new(TableTransactionActionType.UpdateReplace, current, etag)
                : new(TableTransactionActionType.Add, current),
            new(TableTransactionActionType.Add, history),
            new(TableTransactionActionType.UpsertReplace, new TableEntity(key.Partition, ChangeRow) { ["ChangedAt"] = revision.At, ["Stamp"] = stamp }),
        };
        if (revision.Action is SubmissionAction.Submitted or SubmissionAction.Approved or SubmissionAction.Returned)
        {
            // Recorded with the change itself: a crash after the commit cannot lose the notice, nor a retry add a second.
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(key.Partition, NoticeEventRow(key.Unit, revision.Revision))
            {
                ["Unit"] = key.Unit,
                ["Action"] = revision.Action.ToString(),
                ["Revision"] = revision.Revision,
                ["At"] = revision.At,
                ["Reason"] = revision.Reason,
                ["Late"] = next.Late,
            }));
        }
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
            _marks[key.Partition] = (stamp, _time.GetTimestamp());
            return CommitResult.Committed;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return CommitResult.Conflict;
        }
    }

    /// <summary>The state changes of a (form, period) not yet turned into notices, oldest revision first per unit.</summary>
    public async Task<IReadOnlyList<NoticeEvent>> NoticeEventsAsync(string form, string period, CancellationToken cancellationToken)
    {
        var events = new List<NoticeEvent>();
        await foreach (var e in Table.QueryAsync<TableEntity>(RowRange(StorageKeys.FormPeriod(form, period), "N|", "N|~"), cancellationToken: cancellationToken))
        {
            events.Add(new NoticeEvent(form, period, e.RowKey, e.GetString("Unit"), Enum.Parse<SubmissionAction>(e.GetString("Action")),
                e.GetInt32("Revision") ?? 0, e.GetDateTimeOffset("At") ?? DateTimeOffset.UnixEpoch, e.GetString("Reason"), e.GetBoolean("Late") ?? false));
        }
        return events;
    }

    /// <summary>Forgets a state change once its notice is recorded (a replay before this only records the same notice again).</summary>
    public async Task DeleteNoticeEventAsync(NoticeEvent notice, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(StorageKeys.FormPeriod(notice.Form, notice.Period), notice.Row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>The current-state entity exactly as a write stores it (the benchmarks' bare payload).</summary>
    public static TableEntity ToCurrentEntity(Submission s) => ToEntity(s, CurrentRow(s.Key.Unit));

    private static string RowRange(string partition, string fromExclusive, string toExclusive) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {fromExclusive} and RowKey lt {toExclusive}");

    private static Submission ToSubmission(SubmissionKey key, TableEntity e) => new(
        key with { Unit = e.GetString("Unit") },
        Enum.Parse<SubmissionStatus>(e.GetString("Status")),
        e.GetInt32("Revision") ?? 0,
        e.GetInt32("FormVersion") ?? 0,
        ReadValues(e),
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
        ReadAuthor(e, "UpdatedBy") ?? new Author(""),
        e.GetDateTimeOffset("SubmittedAt"),
        ReadAuthor(e, "SubmittedBy"),
        e.GetBoolean("Late") ?? false,
        e.GetString("ReturnReason"),
        e.GetString("FollowUps") is { } followUps ? JsonSerializer.Deserialize(followUps, SubmissionsJsonContext.Shared.ListFollowUp) : null,
        e.GetInt32("CheckErrors") is { } errors ? new CheckCounts(errors, e.GetInt32("CheckWarnings") ?? 0) : null,
        e.GetString("Checks") is { } checks ? JsonSerializer.Deserialize(checks, SubmissionsJsonContext.Shared.ListStoredCheck) : null);

    private static Author? ReadAuthor(TableEntity e, string property) =>
        e.GetString(property) is { } id ? new Author(id, e.GetString(property + "Label"), e.GetString(property + "Name")) : null;

    private static void WriteAuthor(TableEntity e, string property, Author? author)
    {
        e[property] = author?.KeyId;
        e[property + "Label"] = author?.Label;
        e[property + "Name"] = author?.Name;
    }

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

    private static TableEntity ToEntity(Submission s, string rowKey)
    {
        var entity = new TableEntity(s.Key.Partition, rowKey)
        {
            ["Unit"] = s.Key.Unit,
            ["Status"] = s.Status.ToString(),
            ["Revision"] = s.Revision,
            ["FormVersion"] = s.FormVersion,
            ["UpdatedAt"] = s.UpdatedAt,
            ["SubmittedAt"] = s.SubmittedAt,
            ["Late"] = s.Late,
            ["ReturnReason"] = s.ReturnReason,
            ["FollowUps"] = s.FollowUps.Count == 0 ? null : JsonSerializer.Serialize(s.FollowUps.ToList(), SubmissionsJsonContext.Shared.ListFollowUp),
            ["OpenFollowUps"] = s.FollowUps.Count(f => f.IsOpen),
            ["CheckErrors"] = s.Counts?.Errors,
            ["CheckWarnings"] = s.Counts?.Warnings,
            ["Checks"] = s.Checks.Count == 0 ? null : JsonSerializer.Serialize(s.Checks.ToList(), SubmissionsJsonContext.Shared.ListStoredCheck),
        };
        WriteAuthor(entity, "UpdatedBy", s.UpdatedBy);
        WriteAuthor(entity, "SubmittedBy", s.SubmittedBy);
        WriteValues(entity, s.Values);
        return entity;
    }

    private static SubmissionRevision ToRevision(SubmissionKey key, TableEntity e)
    {
        var state = ToSubmission(key, e);
        return new SubmissionRevision(
            state.Revision,
            Enum.Parse<SubmissionAction>(e.GetString("Action")),
            state.Status,
            state.UpdatedAt,
            state.UpdatedBy,
            e.GetBoolean("Backfill") ?? false,
            JsonSerializer.Deserialize(e.GetString("Changed") ?? "[]", QcdcJson.Context.ListString) ?? [],
            e.GetString("Reason"),
            state.FormVersion,
            state.Values);
    }

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

/// <summary>A stored row that cannot be read: its keys and what failed.</summary>
public sealed record UnreadableRow(string Partition, string Row, string Reason);
