using Qcdc.Forms;
using Qcdc.Json;
using Qcdc.Localization;
using Qcdc.Submissions;

namespace Qcdc.Rollups;

/// <summary>A unit's own report as a quarter's rollup saw it.</summary>
public enum ReportState : byte
{
    Missing,
    Draft,
    Submitted,
    Approved,
    Returned,
}

/// <summary>
/// The rollup of one (form, period): for every unit of the period's hierarchy its aggregated numbers and
/// completeness (and, for a quarter, its own report's state and numbers, from which longer periods are computed),
/// with the change stamp it was computed from. Stored as one compressed blob (<see cref="RollupSnapshotCodec"/>).
/// </summary>
public sealed class RollupSnapshot
{
    public required string Form { get; init; }
    public required string Period { get; init; }
    public required bool IsQuarter { get; init; }
    public required DateTimeOffset ComputedAt { get; init; }
    /// <summary>What the snapshot was computed from: the change stamps of its quarters, the hierarchy, the forms, the counted statuses.</summary>
    public required string Stamp { get; init; }
    /// <summary>Computed after the period locked for reporters (its totals still follow any later correction).</summary>
    public required bool Final { get; init; }
    public required RollupSchema Schema { get; init; }
    public required string[] Units { get; init; }
    /// <summary>The index of each unit's parent in <see cref="Units"/> at the period's end, or -1.</summary>
    public required int[] Parents { get; init; }

    // A quarter: each unit's own report.
    public ReportState[] States { get; init; } = [];
    public bool[] Expected { get; init; } = [];
    public bool[] Counted { get; init; } = [];
    public bool[] Late { get; init; } = [];
    public DateTimeOffset?[] SubmittedAt { get; init; } = [];
    /// <summary>Own numbers of counted reports, <see cref="RollupSchema.SlotCount"/> per unit, in millionths (<see cref="Micro"/>).</summary>
    public Int128[] Own { get; init; } = [];
    public bool[] OwnPresent { get; init; } = [];

    /// <summary>Aggregated numbers over each unit's subtree (and, for longer periods, over time), slot by slot, in millionths.</summary>
    public required Int128[] Aggregate { get; init; }
    public required bool[] AggregatePresent { get; init; }
    /// <summary>A longer period: the value includes a stock carried from an earlier quarter (the last one was not reported).</summary>
    public bool[] Carried { get; init; } = [];
    /// <summary>A longer period: the unit's numbers include a split predecessor's share.</summary>
    public bool[] Apportioned { get; init; } = [];

    // Completeness over each unit's subtree: reports expected, counted, on time, late (unit-quarters for longer periods).
    public required int[] ExpectedCount { get; init; }
    public required int[] ReportedCount { get; init; }
    public required int[] OnTimeCount { get; init; }
    public required int[] LateCount { get; init; }
    /// <summary>A longer period: of the unit's own quarters, how many it was expected to report and how many it reported.</summary>
    public int[] OwnQuartersExpected { get; init; } = [];
    public int[] OwnQuartersReported { get; init; } = [];

    public IReadOnlyDictionary<int, IReadOnlyList<LocalizedText>> Notes { get; init; } = new Dictionary<int, IReadOnlyList<LocalizedText>>();

    private Dictionary<string, int>? _index;

    public int IndexOf(string unit) =>
        (_index ??= Units.Select((u, i) => (u, i)).ToDictionary(p => p.u, p => p.i, StringComparer.Ordinal)).GetValueOrDefault(unit, -1);

    /// <summary>The units directly under a unit, in code order.</summary>
    public IEnumerable<int> ChildrenOf(int unit) => Enumerable.Range(0, Units.Length).Where(i => Parents[i] == unit);

    /// <summary>The unit and every unit below it.</summary>
    public IEnumerable<int> SubtreeOf(int unit)
    {
        var children = Children();
        var stack = new Stack<int>([unit]);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            foreach (var child in children[current])
            {
                stack.Push(child);
            }
        }
    }

    private List<int>[]? _children;

    private List<int>[] Children()
    {
        if (_children is null)
        {
            var children = Enumerable.Range(0, Units.Length).Select(_ => new List<int>()).ToArray();
            for (var i = 0; i < Units.Length; i++)
            {
                if (Parents[i] >= 0)
                {
                    children[Parents[i]].Add(i);
                }
            }
            _children = children;
        }
        return _children;
    }
}

/// <summary>The header of a snapshot blob (JSON), before its unit sections.</summary>
public sealed record SnapshotHeader(
    int Format, string Form, string Period, bool IsQuarter, DateTimeOffset ComputedAt, string Stamp, bool Final,
    IReadOnlyList<Indicator> Indicators, IReadOnlyList<StoredText> Notes, int Units, IReadOnlyList<int> FormVersions);

/// <summary>A note kept in a snapshot in both languages.</summary>
public sealed record StoredText(string En, string Vi);
