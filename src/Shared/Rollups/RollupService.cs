using System.Diagnostics;
using Qcdc.Forms;
using Qcdc.Periods;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Rollups;

/// <summary>What one rollup run did.</summary>
public sealed record RollupSummary(string Form, string Period, int Units, int Values, int Reads, int Writes, double Seconds);

/// <summary>Runs the quarterly rollup of one (form, period): one partition read in pages, aggregated in memory, written in batches.</summary>
public sealed class RollupService(
    SubmissionStore submissions, RollupStore rollups, ChangeMarkers markers, FormStore forms, UnitStore units, PeriodCatalog periods, TimeProvider time)
{
    /// <summary>
    /// Recomputes the quarters of every quarterly form whose reports changed since their last rollup, and closes
    /// quarters past their lock date with one final rollup. Quarters with no change are not read or written.
    /// </summary>
    public async Task<IReadOnlyList<RollupSummary>> RunChangedQuartersAsync(CancellationToken cancellationToken)
    {
        var today = VietnamTime.Today(time);
        var summaries = new List<RollupSummary>();
        foreach (var form in (await forms.GetCatalogAsync(cancellationToken)).Current.Where(f => f.PeriodType == PeriodType.Quarter))
        {
            foreach (var period in Enumerable.Range(today.Year - 1, 3).SelectMany(y => periods.PeriodsEndingIn(PeriodType.Quarter, y)))
            {
                var schedule = form.Schedule.For(period);
                if (!schedule.HasStartedOn(today))
                {
                    continue;
                }
                var (computedFrom, final) = await rollups.GetRunAsync(form.Code, period.Key, cancellationToken);
                if (final)
                {
                    continue;
                }
                var change = await markers.LastChangeAsync(form.Code, period.Key, cancellationToken);
                var locked = schedule.IsLockedOn(today);
                if (change?.Stamp == computedFrom && !locked)
                {
                    continue;
                }
                if (await RunQuarterAsync(form.Code, period, cancellationToken) is { } summary)
                {
                    await rollups.SetRunAsync(form.Code, period.Key, change?.Stamp, locked, time.GetUtcNow(), cancellationToken);
                    summaries.Add(summary);
                }
            }
        }
        return summaries;
    }

    public async Task<RollupSummary?> RunQuarterAsync(string formCode, Period period, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var form = (await forms.GetCatalogAsync(cancellationToken)).Find(formCode);
        if (form is null || period.Type != PeriodType.Quarter || form.PeriodType != PeriodType.Quarter)
        {
            return null;
        }
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        var (reports, reads) = await submissions.ReadFiguresAsync($"{formCode}|{period.Key}", cancellationToken);
        var computed = RollupCalculator.Compute(form, period.End, hierarchy, reports, RollupCalculator.DefaultCountedStatuses);
        var writes = await rollups.WriteAsync(formCode, period.Key, computed, time.GetUtcNow(), cancellationToken);
        return new RollupSummary(formCode, period.Key, computed.Count, computed.Sum(r => r.Values.Count), reads, writes,
            Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 3));
    }
}
