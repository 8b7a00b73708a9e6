using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Qcdc.Storage;

namespace Qcdc.Security;

/// <summary>A key as listed to administrators: never its secret.</summary>
public sealed record ApiKeyInfo(
    string Id, string Unit, string Role, string? Label, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } expiry || expiry > now);

    public Actor ToActor() => new(Id, Role, Unit, Label, Name);
}

/// <summary>A newly issued key: the only time its full text is shown.</summary>
public sealed record IssuedKey(string Key, ApiKeyInfo Info);

/// <summary>
/// API keys <c>qcdc_{id}_{secret}</c>: a public id (looked up with one point read) and 256 random bits of secret,
/// stored only as an HMAC-SHA256 under a configured secret and compared in constant time.
/// </summary>
public sealed partial class ApiKeyStore
{
    public const string Prefix = "qcdc_";
    private const string Partition = "key";
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly IOptions<SecurityOptions> _options;
    private readonly ConcurrentDictionary<string, (ApiKeyInfo? Info, string? Hash, long ReadAt)> _cache = new(StringComparer.Ordinal);

    public ApiKeyStore(TableServiceClient tables, StorageNames names, TimeProvider time, IOptions<SecurityOptions> options)
    {
        _table = tables.GetTableClient(names.Table(StorageNames.ApiKeysTable));
        _time = time;
        _options = options;
    }

    public async Task<IssuedKey> IssueAsync(string unit, string role, string? label, string? name, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var id = RandomId();
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var info = new ApiKeyInfo(id, unit, role, label, name, _time.GetUtcNow(), expiresAt, null);
        await _table.AddEntityAsync(new TableEntity(Partition, id)
        {
            ["Unit"] = unit,
            ["Role"] = role,
            ["Label"] = label,
            ["Name"] = name,
            ["CreatedAt"] = info.CreatedAt,
            ["ExpiresAt"] = expiresAt,
            ["Hash"] = Hash(secret),
        }, cancellationToken);
        return new IssuedKey($"{Prefix}{id}_{secret}", info);
    }

    /// <summary>Stores a key whose full text is known (the demo keys of development start). Idempotent.</summary>
    public async Task EnsureAsync(string key, string unit, string role, string label, string? name, CancellationToken cancellationToken)
    {
        var (id, secret) = Parse(key) ?? throw new ArgumentException("Not an API key.", nameof(key));
        await _table.UpsertEntityAsync(new TableEntity(Partition, id)
        {
            ["Unit"] = unit,
            ["Role"] = role,
            ["Label"] = label,
            ["Name"] = name,
            ["CreatedAt"] = _time.GetUtcNow(),
            ["Hash"] = Hash(secret),
        }, TableUpdateMode.Replace, cancellationToken);
        _cache.TryRemove(id, out _);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string? unit, CancellationToken cancellationToken)
    {
        var keys = new List<ApiKeyInfo>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
        {
            var info = ToInfo(entity);
            if (unit is null || info.Unit == unit)
            {
                keys.Add(info);
            }
        }
        return keys;
    }

    /// <summary>Revokes the key; this instance forgets it at once, others within the cache duration.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        if (!StorageKeys.IsSafe(id))
        {
            return false;
        }
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return false;
        }
        var entity = existing.Value!;
        entity["RevokedAt"] = _time.GetUtcNow();
        await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
        _cache.TryRemove(id, out _);
        return true;
    }

    /// <summary>The key's holder, or null when the key is unknown, wrong, revoked or expired.</summary>
    public async Task<Actor?> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        if (Parse(presented) is not var (id, secret))
        {
            return null;
        }
        var cached = await ReadAsync(id, cancellationToken);
        if (cached.Info is not { } info || cached.Hash is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(cached.Hash)))
        {
            return null;
        }
        return info.IsActiveAt(_time.GetUtcNow()) ? info.ToActor() : null;
    }

    /// <summary>The holder of a key that is still valid (not revoked, not expired), by its id; a session re-checks its key with it.</summary>
    public async Task<Actor?> GetActiveAsync(string id, CancellationToken cancellationToken) =>
        (await ReadAsync(id, cancellationToken)).Info is { } info && info.IsActiveAt(_time.GetUtcNow()) ? info.ToActor() : null;

    private async Task<(ApiKeyInfo? Info, string? Hash, long ReadAt)> ReadAsync(string id, CancellationToken cancellationToken)
    {
        if (!_cache.TryGetValue(id, out var cached) || _time.GetElapsedTime(cached.ReadAt) > _options.Value.KeyCacheDuration)
        {
            var entity = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
            cached = entity.HasValue ? (ToInfo(entity.Value!), entity.Value!.GetString("Hash"), _time.GetTimestamp()) : (null, null, _time.GetTimestamp());
            _cache[id] = cached;
        }
        return cached;
    }

    public static (string Id, string Secret)? Parse(string key)
    {
        var match = KeyPattern().Match(key);
        return match.Success ? (match.Groups["id"].Value, match.Groups["secret"].Value) : null;
    }

    private string Hash(string secret)
    {
        var hashSecret = _options.Value.KeyHashSecret;
        if (string.IsNullOrEmpty(hashSecret) || hashSecret.Length < 32)
        {
            throw new InvalidOperationException("Security:KeyHashSecret must be set (at least 32 characters).");
        }
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(hashSecret), Encoding.UTF8.GetBytes(secret)));
    }

    private static ApiKeyInfo ToInfo(TableEntity e) => new(
        e.RowKey, e.GetString("Unit"), e.GetString("Role"), e.GetString("Label"), e.GetString("Name"),
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue, e.GetDateTimeOffset("ExpiresAt"), e.GetDateTimeOffset("RevokedAt"));

    private static string RandomId()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        return string.Create(12, 0, (span, _) =>
        {
            Span<byte> bytes = stackalloc byte[12];
            RandomNumberGenerator.Fill(bytes);
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[bytes[i] % alphabet.Length];
            }
        });
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^qcdc_(?<id>[a-z0-9]{12})_(?<secret>[A-Za-z0-9_-]{20,64})\\z")]
    private static partial Regex KeyPattern();
}
