using System.Diagnostics;
using Qcdc.Forms;
using Qcdc.Periods;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Rollups;

/// <summary>What one rollup run did.</summary>
public sealed record RollupSummary(string Form, string Period, int Units, int Values, int Reads, int Writes, double Seconds);

/// <summary>Runs the quarterly rollup of one (form, period): one partition read in pages, aggregated in memory, written in batches.</summary>
public sealed class RollupService(SubmissionStore submissions, RollupStore rollups, FormStore forms, UnitStore units, TimeProvider time)
{
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
