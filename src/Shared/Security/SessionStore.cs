using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Qcdc.Storage;

namespace Qcdc.Security;

/// <summary>Bound from the <c>Session</c> section.</summary>
public sealed class BrowserSessionOptions
{
    public const string Section = "Session";

    /// <summary>How long a session lasts without use; every use extends it (sliding).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session's expiry is written again at most this often (each extension is a storage write).</summary>
    public TimeSpan ExtendEvery { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Mark the cookie Secure (HTTPS only); it is never Secure for a browser on this machine's loopback.</summary>
    public bool SecureCookie { get; set; } = true;
}

/// <summary>A signed-in browser: who it acts for, its anti-forgery token and when it ends.</summary>
public sealed record Session(Actor Actor, string CsrfToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Browser sessions in Table Storage. The cookie carries 256 random bits; only their SHA-256 is stored, with the
/// key id the session acts for (never the key). Every use checks that the key is still valid, so revoking a key
/// ends its sessions; a session unused for its lifetime ends by itself.
/// </summary>
public sealed class SessionStore(TableServiceClient tables, StorageNames names, ApiKeyStore keys, TimeProvider time, IOptions<BrowserSessionOptions> options)
{
    private const string Partition = "session";

    private TableClient Table { get; } = tables.GetTableClient(names.Table(StorageNames.SessionsTable));

    private BrowserSessionOptions Options => options.Value;

    /// <summary>Opens a session for the actor; answers the cookie's token (shown once) and the session.</summary>
    public async Task<(string Token, Session Session)> OpenAsync(Actor actor, CancellationToken cancellationToken)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var session = new Session(actor, Base64Url(RandomNumberGenerator.GetBytes(24)), time.GetUtcNow() + Options.Lifetime);
        await Table.AddEntityAsync(new TableEntity(Partition, RowOf(token))
        {
            ["KeyId"] = actor.KeyId,
            ["Role"] = actor.Role,
            ["Unit"] = actor.Unit,
            ["Csrf"] = session.CsrfToken,
            ["ExpiresAt"] = session.ExpiresAt,
            ["CreatedAt"] = time.GetUtcNow(),
        }, cancellationToken);
        return (token, session);
    }

    /// <summary>
    /// The session of a cookie, extended when due; null when it is unknown, ended, or its key was revoked or
    /// expired. <paramref name="bootstrap"/> resolves the configured bootstrap admin (it has no stored key).
    /// </summary>
    public async Task<Session?> FindAsync(string token, Func<string, Actor?> bootstrap, CancellationToken cancellationToken)
    {
        if (token.Length is < 20 or > 100)
        {
            return null;
        }
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, RowOf(token), cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }
        var entity = row.Value!;
        var now = time.GetUtcNow();
        var expiresAt = entity.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue;
        if (expiresAt <= now)
        {
            await DeleteQuietlyAsync(entity, cancellationToken);
            return null;
        }
        var keyId = entity.GetString("KeyId");
        var actor = bootstrap(keyId) ?? await keys.GetActiveAsync(keyId, cancellationToken);
        if (actor is null)
        {
            await DeleteQuietlyAsync(entity, cancellationToken);
            return null;
        }
        if (now + Options.Lifetime - expiresAt >= Options.ExtendEvery)
        {
            expiresAt = now + Options.Lifetime;
            entity["ExpiresAt"] = expiresAt;
            try
            {
                await Table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Another request extended (or ended) it at the same moment: its write stands.
            }
        }
        return new Session(actor, entity.GetString("Csrf"), expiresAt);
    }

    public async Task EndAsync(string token, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(Partition, RowOf(token), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>Removes sessions that ended (the daily cleanup); answers how many.</summary>
    public async Task<int> RemoveEndedAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and ExpiresAt lt {time.GetUtcNow()}"), select: ["PartitionKey", "RowKey"],
            cancellationToken: cancellationToken))
        {
            await DeleteQuietlyAsync(entity, cancellationToken);
            removed++;
        }
        return removed;
    }

    private async Task DeleteQuietlyAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    private static string RowOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
