using Azure.Data.Tables;

namespace Qcdc.Storage;

/// <summary>The version row of a reference table: a new random stamp on every change.</summary>
public static class VersionStamp
{
    public static TableEntity NewRow(string partition, string row, DateTimeOffset changedAt) =>
        new(partition, row) { ["Stamp"] = Guid.NewGuid().ToString("N"), ["ChangedAt"] = changedAt };

    public static async Task<string?> ReadAsync(TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        var version = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, ["Stamp"], cancellationToken);
        return version.HasValue ? version.Value!.GetString("Stamp") : null;
    }
}

/// <summary>
/// Keeps a whole reference set (units, forms) in memory. A write in this process invalidates it at once; a write
/// by another instance is noticed through a version stamp read (one point read) at most every
/// <paramref name="recheck"/>, so the cache is never staler than that.
/// </summary>
public sealed class VersionedCache<T>(TimeProvider time, TimeSpan recheck) where T : class
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _current;

    public async Task<T> GetAsync(
        Func<CancellationToken, Task<string?>> readStamp,
        Func<CancellationToken, Task<T>> load,
        CancellationToken cancellationToken) => (await GetStampedAsync(readStamp, load, cancellationToken)).Value;

    /// <summary>The value and the version stamp it was loaded at (what a derived result, such as a rollup, records).</summary>
    public async Task<(T Value, string? Stamp)> GetStampedAsync(
        Func<CancellationToken, Task<string?>> readStamp,
        Func<CancellationToken, Task<T>> load,
        CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && time.GetElapsedTime(current.CheckedAt) < recheck)
        {
            return (current.Value, current.Stamp);
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            current = _current;
            if (current is not null && time.GetElapsedTime(current.CheckedAt) < recheck)
            {
                return (current.Value, current.Stamp);
            }
            var stamp = await readStamp(cancellationToken);
            if (current is not null && string.Equals(current.Stamp, stamp, StringComparison.Ordinal))
            {
                Volatile.Write(ref _current, current with { CheckedAt = time.GetTimestamp() });
                return (current.Value, current.Stamp);
            }
            var value = await load(cancellationToken);
            Volatile.Write(ref _current, new Snapshot(value, stamp, time.GetTimestamp()));
            return (value, stamp);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate() => Volatile.Write(ref _current, null);

    private sealed record Snapshot(T Value, string? Stamp, long CheckedAt);
}
