using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Qcdc.Json;
using Qcdc.Storage;

namespace Qcdc.Notifications;

/// <summary>
/// The Notifications table: each unit's contacts (partition <c>contacts</c>) and the outbox (partition <c>notices</c>,
/// one row per notice, keyed by its deterministic id). The only class that touches this table.
/// </summary>
public sealed class NotificationStore(TableServiceClient tables, StorageNames names)
{
    private const string ContactsPartition = "contacts";
    private const string NoticesPartition = "notices";

    private TableClient Table => tables.GetTableClient(names.Table(StorageNames.NotificationsTable));

    public async Task<UnitContacts?> GetContactsAsync(string unit, CancellationToken cancellationToken)
    {
        var entity = await Table.GetEntityIfExistsAsync<TableEntity>(ContactsPartition, unit, cancellationToken: cancellationToken);
        return entity.HasValue ? new UnitContacts(Strings(entity.Value!.GetString("Emails")), entity.Value.GetString("WebhookUrl")) : null;
    }

    public Task PutContactsAsync(string unit, UnitContacts contacts, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(new TableEntity(ContactsPartition, unit)
        {
            ["Emails"] = JsonSerializer.Serialize([.. contacts.Emails], QcdcJson.Context.ListString),
            ["WebhookUrl"] = contacts.WebhookUrl,
        }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>Records a notice once: false when one with the same id is already there.</summary>
    public async Task<bool> AddAsync(Notice notice, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(ToEntity(notice), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Adds a line to a digest, creating the digest when it is the day's first; a line already there (the same
    /// <paramref name="lineKey"/>) is not added again, so replaying an event changes nothing. False when the digest has
    /// already gone out (the line belongs in a later one).
    /// </summary>
    public async Task<bool> AppendAsync(Notice digest, string lineKey, string line, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var existing = await Table.GetEntityIfExistsAsync<TableEntity>(NoticesPartition, digest.Id, cancellationToken: cancellationToken);
            if (!existing.HasValue)
            {
                if (await AddAsync(digest with { Lines = [line] }, cancellationToken) && await MarkLineAsync(digest.Id, lineKey, cancellationToken))
                {
                    return true;
                }
                continue;
            }
            var entity = existing.Value!;
            var keys = Strings(entity.GetString("LineKeys"));
            if (keys.Contains(lineKey))
            {
                return true;
            }
            if (entity.GetString("Status") != nameof(NoticeStatus.Pending) || entity.GetInt32("Attempts") > 0)
            {
                return false;
            }
            entity["Lines"] = JsonSerializer.Serialize([.. Strings(entity.GetString("Lines")), line], QcdcJson.Context.ListString);
            entity["LineKeys"] = JsonSerializer.Serialize([.. keys, lineKey], QcdcJson.Context.ListString);
            try
            {
                await Table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
            }
        }
        throw new InvalidOperationException($"The digest {digest.Id} kept changing under this writer.");
    }

    private async Task<bool> MarkLineAsync(string id, string lineKey, CancellationToken cancellationToken)
    {
        var entity = (await Table.GetEntityAsync<TableEntity>(NoticesPartition, id, cancellationToken: cancellationToken)).Value;
        entity["LineKeys"] = JsonSerializer.Serialize([lineKey], QcdcJson.Context.ListString);
        try
        {
            await Table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Pending notices whose time has come and that no sender holds, oldest first.</summary>
    public async Task<IReadOnlyList<(Notice Notice, ETag ETag)>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var due = new List<(Notice, ETag)>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {NoticesPartition} and Status eq {nameof(NoticeStatus.Pending)} and NotBefore le {now} and LeaseUntil le {now}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, maxPerPage: 200, cancellationToken: cancellationToken))
        {
            due.Add((FromEntity(entity), entity.ETag));
            if (due.Count >= max)
            {
                break;
            }
        }
        return [.. due.OrderBy(d => d.Item1.CreatedAt)];
    }

    /// <summary>Takes a notice for sending until <paramref name="until"/>; false when another sender took it first.</summary>
    public async Task<ETag?> ClaimAsync(Notice notice, ETag etag, DateTimeOffset until, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(new TableEntity(NoticesPartition, notice.Id)
            {
                ["LeaseUntil"] = until,
                ["Attempts"] = notice.Attempts + 1,
            }, etag, TableUpdateMode.Merge, cancellationToken);
            return response.Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    public Task MarkSentAsync(string id, DateTimeOffset at, IReadOnlyList<string> channels, CancellationToken cancellationToken) =>
        Table.UpdateEntityAsync(new TableEntity(NoticesPartition, id)
        {
            ["Status"] = nameof(NoticeStatus.Sent),
            ["SentAt"] = at,
            ["Channels"] = JsonSerializer.Serialize([.. channels], QcdcJson.Context.ListString),
            // A merge leaves a null property as it was (the service reads null as "absent"): clear it with an empty text.
            ["LastError"] = "",
        }, ETag.All, TableUpdateMode.Merge, cancellationToken);

    public Task MarkFailedAttemptAsync(
        string id, string error, DateTimeOffset retryAt, bool givenUp, IReadOnlyList<string> delivered, CancellationToken cancellationToken) =>
        Table.UpdateEntityAsync(new TableEntity(NoticesPartition, id)
        {
            ["Status"] = givenUp ? nameof(NoticeStatus.Failed) : nameof(NoticeStatus.Pending),
            ["Channels"] = JsonSerializer.Serialize([.. delivered], QcdcJson.Context.ListString),
            ["LastError"] = error,
            ["NotBefore"] = retryAt,
            ["LeaseUntil"] = DateTimeOffset.UnixEpoch,
        }, ETag.All, TableUpdateMode.Merge, cancellationToken);

    public async Task<IReadOnlyList<Notice>> ListAsync(NoticeStatus? status, int max, CancellationToken cancellationToken)
    {
        var filter = status is { } s
            ? TableClient.CreateQueryFilter($"PartitionKey eq {NoticesPartition} and Status eq {s.ToString()}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {NoticesPartition}");
        var list = new List<Notice>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, maxPerPage: 500, cancellationToken: cancellationToken))
        {
            list.Add(FromEntity(entity));
            if (list.Count >= max)
            {
                break;
            }
        }
        return list;
    }

    private static TableEntity ToEntity(Notice n) => new(NoticesPartition, n.Id)
    {
        ["Kind"] = n.Kind.ToString(),
        ["Unit"] = n.Unit,
        ["Form"] = n.Form,
        ["Period"] = n.Period,
        ["Subject"] = n.Subject,
        ["Body"] = n.Body,
        ["Status"] = n.Status.ToString(),
        ["Attempts"] = n.Attempts,
        ["NotBefore"] = n.NotBefore,
        ["LeaseUntil"] = DateTimeOffset.UnixEpoch,
        ["CreatedAt"] = n.CreatedAt,
        ["SentAt"] = n.SentAt,
        ["LastError"] = n.LastError,
        ["Channels"] = JsonSerializer.Serialize([.. n.Channels], QcdcJson.Context.ListString),
        ["Lines"] = JsonSerializer.Serialize([.. n.Lines], QcdcJson.Context.ListString),
    };

    private static Notice FromEntity(TableEntity e) => new(
        e.RowKey,
        Enum.Parse<NoticeKind>(e.GetString("Kind")),
        e.GetString("Unit"),
        e.GetString("Form"),
        e.GetString("Period"),
        e.GetString("Subject") ?? "",
        e.GetString("Body") ?? "",
        Enum.Parse<NoticeStatus>(e.GetString("Status")),
        e.GetInt32("Attempts") ?? 0,
        e.GetDateTimeOffset("NotBefore") ?? DateTimeOffset.UnixEpoch,
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch,
        e.GetDateTimeOffset("SentAt"),
        e.GetString("LastError") is { Length: > 0 } error ? error : null,
        Strings(e.GetString("Channels")),
        Strings(e.GetString("Lines")));

    private static List<string> Strings(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, QcdcJson.Context.ListString) ?? [];
}
