using System.Diagnostics;
using Microsoft.Extensions.Options;
using Qcdc.Forms;
using Qcdc.Periods;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Rollups;

/// <summary>What one rollup run did.</summary>
public sealed record RollupSummary(string Form, string Period, int Units, int Values, int Reads, int Writes, double Seconds);

/// <summary>Runs the quarterly rollup of one (form, period): one partition read in pages, aggregated in memory, written in batches.</summary>
public sealed class RollupService(
    SubmissionStore submissions, RollupStore rollups, FormStore forms, UnitStore units, PeriodCatalog periods,
    IOptions<RollupOptions> options, TimeProvider time)
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
                if ((await RefreshQuarterAsync(form, period, today, cancellationToken)).Summary is { } summary)
                {
                    summaries.Add(summary);
                }
            }
        }
        return summaries;
    }

    /// <summary>
    /// Recomputes one quarter if its reports changed since its last rollup, or if it has locked since (final).
    /// Answers what it ran, and the state the quarter's rollup is now computed from (a change of it means a
    /// multi-quarter rollup over this quarter is stale). The run is recorded only after every batch is written, so
    /// a run interrupted part-way is simply done again next time.
    /// </summary>
    private async Task<(RollupSummary? Summary, string Source)> RefreshQuarterAsync(FormDefinition form, Period quarter, DateOnly today, CancellationToken cancellationToken)
    {
        var (computedFrom, final) = await rollups.GetRunAsync(form.Code, quarter.Key, cancellationToken);
        if (final)
        {
            return (null, $"{computedFrom}:final");
        }
        var change = await submissions.LastChangeAsync(form.Code, quarter.Key, cancellationToken);
        var locked = form.Schedule.For(quarter).IsLockedOn(today);
        if (change?.Stamp == computedFrom && !locked)
        {
            return (null, $"{computedFrom}:open");
        }
        var summary = await RunQuarterAsync(form.Code, quarter, cancellationToken);
        await rollups.SetRunAsync(form.Code, quarter.Key, change?.Stamp, locked, time.GetUtcNow(), cancellationToken);
        return (summary, $"{change?.Stamp}:{(locked ? "final" : "open")}");
    }

    /// <summary>
    /// The half-years, years and five-year windows the weekly timer keeps fresh for each quarterly form: those of
    /// last year and this year, the five-year planning windows (2021-2025, 2026-2030, …) and the named windows
    /// that overlap them. Only those whose quarters changed since their last run are recomputed.
    /// </summary>
    public async Task<IReadOnlyList<RollupSummary>> RunChangedPeriodsAsync(CancellationToken cancellationToken)
    {
        var today = VietnamTime.Today(time);
        var summaries = new List<RollupSummary>();
        var recent = new[] { today.Year - 1, today.Year };
        var candidates = recent.SelectMany(y => new[] { Period.HalfYear(y, 1), Period.HalfYear(y, 2), Period.CalendarYear(y) })
            .Concat(recent.Select(y => Period.FiveYears(y - (y - 1) % 5)).Distinct())
            .Concat(periods.Windows.Where(w => w.Year >= today.Year - 1 && w.Start.Year <= today.Year))
            .ToList();
        foreach (var form in (await forms.GetCatalogAsync(cancellationToken)).Current.Where(f => f.PeriodType == PeriodType.Quarter))
        {
            foreach (var period in candidates.Where(p => form.Schedule.For(p.Quarters()[0]).HasStartedOn(today)))
            {
                if (await RunPeriodAsync(form.Code, period, cancellationToken, onlyIfChanged: true) is { } summary)
                {
                    summaries.Add(summary);
                }
            }
        }
        return summaries;
    }

    /// <summary>
    /// A half-year, year or five-year rollup of a quarterly form, from the quarterly rollups only (stale quarters are
    /// refreshed first), for every unit active at some time in the period.
    /// </summary>
    /// <param name="onlyIfChanged">Skip (answer null, read no rollup partition, write nothing) when no quarter changed since the last run.</param>
    public async Task<RollupSummary?> RunPeriodAsync(string formCode, Period period, CancellationToken cancellationToken, bool onlyIfChanged = false)
    {
        var started = Stopwatch.GetTimestamp();
        var form = (await forms.GetCatalogAsync(cancellationToken)).Find(formCode);
        if (form is null || form.PeriodType != PeriodType.Quarter || period.Type == PeriodType.Quarter)
        {
            return null;
        }
        var today = VietnamTime.Today(time);
        var sources = new List<string>();
        foreach (var quarter in period.Quarters())
        {
            sources.Add(form.Schedule.For(quarter).HasStartedOn(today)
                ? (await RefreshQuarterAsync(form, quarter, today, cancellationToken)).Source
                : "not-started");
        }
        var source = SubmissionService.Hash(string.Join("|", sources) + "|" + string.Join(",", options.Value.Counted));
        if (onlyIfChanged && (await rollups.GetRunAsync(formCode, period.Key, cancellationToken)).SourceStamp == source)
        {
            return null;
        }
        // The quarters' partitions are independent: read them a few at a time.
        var read = new System.Collections.Concurrent.ConcurrentDictionary<string, (Dictionary<string, StoredRollup> Rollups, int Reads)>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(period.Quarters(), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (quarter, ct) => read[quarter.Key] = await rollups.ReadAllAsync(formCode, quarter.Key, ct));
        var quarterly = read.ToDictionary(q => q.Key, q => q.Value.Rollups, StringComparer.Ordinal);
        var reads = read.Values.Sum(q => q.Reads);
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        var computed = new List<UnitRollup>();
        foreach (var unit in hierarchy.All.Where(u => u.IsActiveDuring(period.Start, period.End)).OrderBy(u => u.Code, StringComparer.Ordinal))
        {
            var result = PeriodRollupCalculator.Compute(form, period, unit.Code, hierarchy, (code, q) => quarterly[q.Key].GetValueOrDefault(code)?.Values);
            var own = quarterly.Values.Select(q => q.GetValueOrDefault(unit.Code)).Where(r => r is not null).Select(r => r!.Completeness).ToList();
            var completeness = new Completeness(own.Sum(c => c.Expected), own.Sum(c => c.Submitted), own.Sum(c => c.OnTime), own.Sum(c => c.Late),
                [.. own.SelectMany(c => c.Missing).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
            computed.Add(new UnitRollup(unit.Code, result.Values, completeness, result.Notes));
        }
        var writes = await rollups.WriteAsync(formCode, period.Key, computed, time.GetUtcNow(), cancellationToken);
        await rollups.SetRunAsync(formCode, period.Key, source, sources.All(s => s.EndsWith(":final", StringComparison.Ordinal)), time.GetUtcNow(), cancellationToken);
        return new RollupSummary(formCode, period.Key, computed.Count, computed.Sum(r => r.Values.Count), reads, writes,
            Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 3));
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
        var (reports, reads) = await submissions.ReadFiguresAsync(formCode, period.Key, cancellationToken);
        var computed = RollupCalculator.Compute(form, period.End, hierarchy, reports, options.Value.Counted);
        var writes = await rollups.WriteAsync(formCode, period.Key, computed, time.GetUtcNow(), cancellationToken);
        return new RollupSummary(formCode, period.Key, computed.Count, computed.Sum(r => r.Values.Count), reads, writes,
            Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 3));
    }
}
