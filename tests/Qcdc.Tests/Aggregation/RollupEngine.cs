using System.Text;
using System.Text.Json.Nodes;
using Qcdc.Forms;
using Qcdc.Periods;
using Qcdc.Rollups;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Tests.Aggregation;

/// <summary>
/// The rollup engine without storage: quarters built from reports, longer periods from those quarters' snapshots,
/// every snapshot encoded and decoded on the way (what the service stores is what is read back).
/// </summary>
internal sealed class RollupEngine(UnitHierarchy hierarchy, params FormDefinition[] versions)
{
    private static readonly PeriodCatalog Periods = new(PeriodCatalog.DefaultWindows);
    private readonly FormCatalog _catalog = new(versions);
    private readonly string _form = versions[0].Code;
    private readonly Dictionary<string, List<(string Unit, SubmissionStatus Status, bool Late, string Json)>> _reports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RollupSnapshot> _quarters = new(StringComparer.Ordinal);

    public UnitHierarchy Hierarchy => hierarchy;

    /// <summary>The last quarter that has begun: a longer period adds the quarters after it as none, as the service does.</summary>
    private Period? _begunThrough;

    public RollupEngine BegunThrough(string quarter)
    {
        _begunThrough = Resolve(quarter);
        return this;
    }

    public RollupEngine Report(string quarter, string unit, string json, SubmissionStatus status = SubmissionStatus.Submitted, bool late = false)
    {
        if (!_reports.TryGetValue(quarter, out var list))
        {
            _reports[quarter] = list = [];
        }
        list.Add((unit, status, late, json));
        _quarters.Remove(quarter);
        return this;
    }

    public RollupSnapshot Snapshot(string key)
    {
        var period = Resolve(key);
        if (period.Type == PeriodType.Quarter)
        {
            if (!_quarters.TryGetValue(key, out var quarter))
            {
                var builder = new QuarterRollupBuilder(RollupSchema.For(_catalog, _form, period), hierarchy, period,
                    _catalog.ForPeriod(_form, period)!.AppliesTo, RollupOptions.DefaultCountedStatuses);
                foreach (var (unit, status, late, json) in _reports.GetValueOrDefault(key) ?? [])
                {
                    builder.Add(unit, status, late, status is SubmissionStatus.Draft ? null : period.End.ToDateTime(TimeOnly.MinValue), Encoding.UTF8.GetBytes(json));
                }
                _quarters[key] = quarter = RoundTrip(builder.Build(_form, key, DateTimeOffset.UnixEpoch, "test", final: false));
            }
            return quarter;
        }
        var periodBuilder = new PeriodRollupBuilder(RollupSchema.For(_catalog, _form, period), hierarchy, period);
        var quarters = period.Quarters();
        for (var k = 0; k < quarters.Count; k++)
        {
            // Both ways the service adds a quarter: from its stored bytes, and from a snapshot just computed.
            if (_begunThrough is { } begun && quarters[k].Start > begun.End)
            {
                periodBuilder.AddQuarter((RollupSnapshot?)null);
            }
            else if (k % 2 == 0)
            {
                periodBuilder.AddQuarter(RollupSnapshotCodec.Encode(Snapshot(quarters[k].Key)));
            }
            else
            {
                periodBuilder.AddQuarter(Snapshot(quarters[k].Key));
            }
        }
        return RoundTrip(periodBuilder.Build(_form, key, DateTimeOffset.UnixEpoch, "test", final: false));
    }

    public UnitRollup View(string period, string unit) => RollupViews.ForUnit(new RollupRead(Snapshot(period), Stale: false), unit, hierarchy);

    public JsonObject Values(string period, string unit) => View(period, unit).Values;

    public CompletenessListing Completeness(string period, string unit) =>
        RollupViews.Completeness(new RollupRead(Snapshot(period), Stale: false), unit, hierarchy);

    private static RollupSnapshot RoundTrip(RollupSnapshot snapshot)
    {
        using var stream = new MemoryStream(RollupSnapshotCodec.Encode(snapshot));
        return RollupSnapshotCodec.Decode(stream);
    }

    private static Period Resolve(string key) => Periods.TryResolve(key, out var period) ? period : throw new ArgumentException(key);

    /// <summary>The form with one indicator's rules changed (to test a rule no seeded indicator uses).</summary>
    public static FormDefinition WithIndicator(FormDefinition form, string code, Func<Indicator, Indicator> change) =>
        form with { Indicators = [.. form.Indicators.Select(i => i.Code == code ? change(i) : i)] };
}

internal static class RollupJson
{
    public static decimal Number(this JsonObject values, string path)
    {
        JsonNode? node = values;
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }
        return node?.GetValue<decimal>() ?? throw new KeyNotFoundException(path);
    }
}
