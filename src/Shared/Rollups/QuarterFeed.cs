namespace Qcdc.Rollups;

/// <summary>What every unit of a quarter's snapshot is, before its numbers: the units, where each reports, its counts.</summary>
public sealed record QuarterUnits(
    RollupSchema Schema, string[] Units, int[] Parents, bool[] Expected, bool[] Counted,
    int[] ExpectedCount, int[] ReportedCount, int[] OnTimeCount, int[] LateCount);

/// <summary>
/// Takes a quarter's snapshot in the order it is stored: the units first, then each unit's own numbers, then each
/// unit's aggregate over its subtree. A longer period is computed this way straight from a snapshot's bytes (nothing
/// of the quarter is kept) or from a snapshot in memory.
/// </summary>
public interface IQuarterVisitor
{
    void Begin(QuarterUnits units);

    /// <summary>A counted unit's own numbers (in millionths); the spans are valid only during the call.</summary>
    void Own(int unit, ReadOnlySpan<Int128> values, ReadOnlySpan<bool> present);

    /// <summary>A unit's numbers over its subtree (in millionths); the spans are valid only during the call.</summary>
    void Aggregate(int unit, ReadOnlySpan<Int128> values, ReadOnlySpan<bool> present);

    void End();
}

public static class QuarterFeed
{
    /// <summary>Feeds a quarter's snapshot held in memory to a visitor, as the codec feeds one from its bytes.</summary>
    public static void Feed(RollupSnapshot quarter, IQuarterVisitor visitor)
    {
        if (!quarter.IsQuarter)
        {
            throw new ArgumentException($"{quarter.Period} is not a quarter.", nameof(quarter));
        }
        var slots = quarter.Schema.SlotCount;
        visitor.Begin(new QuarterUnits(quarter.Schema, quarter.Units, quarter.Parents, quarter.Expected, quarter.Counted,
            quarter.ExpectedCount, quarter.ReportedCount, quarter.OnTimeCount, quarter.LateCount));
        for (var u = 0; u < quarter.Units.Length; u++)
        {
            if (quarter.Counted[u])
            {
                visitor.Own(u, quarter.Own.AsSpan(u * slots, slots), quarter.OwnPresent.AsSpan(u * slots, slots));
            }
        }
        for (var u = 0; u < quarter.Units.Length; u++)
        {
            visitor.Aggregate(u, quarter.Aggregate.AsSpan(u * slots, slots), quarter.AggregatePresent.AsSpan(u * slots, slots));
        }
        visitor.End();
    }
}
