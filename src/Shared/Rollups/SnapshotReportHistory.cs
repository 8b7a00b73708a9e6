using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Qcdc.Periods;
using Qcdc.Submissions;

namespace Qcdc.Rollups;

/// <summary>
/// A unit's earlier quarters read from the quarterly rollup snapshots (each unit's own figures of its counted report),
/// each snapshot kept in memory for a few minutes: outlier tests of a whole province's writes read each earlier
/// quarter once, not each report. A quarter whose rollup has not been computed yet gives nothing; one changed since
/// is seen at its next computation (quarters eight back are final in practice).
/// </summary>
public sealed class SnapshotReportHistory(RollupSnapshotStore snapshots, TimeProvider time) : IReportHistory
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(string Form, string Period), (DateTimeOffset At, Task<RollupSnapshot?> Snapshot)> _held = new();

    public async Task<IReadOnlyList<JsonObject>> EarlierAsync(string form, Period quarter, string unit, int quarters, CancellationToken cancellationToken)
    {
        var earlier = Enumerable.Range(1, quarters).Select(back => quarter.FirstQuarter - back).Select(i => Period.Quarter(i / 4, i % 4 + 1));
        var found = await Task.WhenAll(earlier.Select(q => SnapshotAsync(form, q.Key, cancellationToken)));
        var values = new List<JsonObject>();
        foreach (var snapshot in found)
        {
            if (snapshot is null || snapshot.IndexOf(unit) is var u && u < 0 || snapshot.Own.Length == 0 || !snapshot.Counted[u])
            {
                continue;
            }
            var slots = snapshot.Schema.SlotCount;
            values.Add(snapshot.Schema.ToJson(snapshot.Own.AsSpan(u * slots, slots), snapshot.OwnPresent.AsSpan(u * slots, slots)));
        }
        return values;
    }

    private Task<RollupSnapshot?> SnapshotAsync(string form, string period, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = (form, period);
        if (_held.TryGetValue(key, out var held) && now - held.At < Lifetime && held.Snapshot.IsCompletedSuccessfully)
        {
            return held.Snapshot;
        }
        var read = ReadAsync(form, period, cancellationToken);
        _held[key] = (now, read);
        return read;
    }

    private async Task<RollupSnapshot?> ReadAsync(string form, string period, CancellationToken cancellationToken) =>
        (await snapshots.GetAsync(form, period, null, cancellationToken))?.Snapshot;
}
