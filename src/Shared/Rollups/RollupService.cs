using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qcdc.Forms;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Problems;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Rollups;

/// <summary>What one rollup run did.</summary>
public sealed record RollupSummary(string Form, string Period, int Units, int Values, int Reads, int Writes, double Seconds);

/// <summary>A rollup as a read finds it: the snapshot, and whether it could not be brought up to date just now.</summary>
public sealed record RollupRead(RollupSnapshot Snapshot, bool Stale);

/// <summary>
/// Rollups as snapshots, fresh on read: a read compares the snapshot's stamp with the period's change stamp (the
/// change marks of its quarters, the hierarchy's and the forms' versions, the counted statuses) and recomputes when
/// they differ — once per (form, period) however many reads arrive together — refreshing a longer period's stale
/// quarters first. When that fails or takes too long, the last snapshot is answered, marked stale. The timers
/// recompute whatever is stale as a safety net, and write the final snapshot of a quarter once it locks.
/// </summary>
public sealed class RollupService(
    SubmissionStore submissions,
    IChangeMarks marks,
    RollupSnapshotStore snapshots,
    FormStore forms,
    UnitStore units,
    PeriodCatalog periods,
    IOptions<RollupOptions> options,
    TimeProvider time,
    ILogger<RollupService> logger)
{
    /// <summary>How long a quarter's change mark, once read, is trusted before it is read again (a write through this instance is seen at once).</summary>
    public static readonly TimeSpan StampCacheDuration = TimeSpan.FromSeconds(2);

    /// <summary>How many quarters a longer period fetches ahead of the one it is adding.</summary>
    private const int QuartersAhead = 3;

    private readonly ConcurrentDictionary<string, StoredSnapshot> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<(StoredSnapshot Stored, RollupSummary? Summary)>>> _running = new(StringComparer.Ordinal);

    /// <summary>True when rollups exist for this form (quarterly forms, whose quarters roll up into longer periods).</summary>
    public static bool RollsUp(FormDefinition form) => form.PeriodType == PeriodType.Quarter;

    /// <summary>
    /// The rollup of a (form, period), up to date unless it could not be brought up to date in time (then the last
    /// one, marked stale): a recomputation is waited for up to <see cref="RollupOptions.FreshWait"/> when an older
    /// snapshot can be answered instead, otherwise until <paramref name="cancellationToken"/>; it goes on in the
    /// background either way. Throws when there is no snapshot at all and none could be computed.
    /// </summary>
    public async Task<RollupRead> ReadAsync(string form, Period period, CancellationToken cancellationToken)
    {
        var key = Key(form, period.Key);
        var fallback = _held.GetValueOrDefault(key);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (fallback is not null)
        {
            wait.CancelAfter(options.Value.FreshWait);
        }
        try
        {
            var stored = await snapshots.GetAsync(form, period.Key, fallback, wait.Token);
            if (stored is not null)
            {
                _held[key] = stored;
                if (fallback is null)
                {
                    fallback = stored;
                    wait.CancelAfter(options.Value.FreshWait);
                }
            }
            var (catalog, formStamp) = await forms.GetStampedCatalogAsync(wait.Token);
            var (_, unitStamp) = await units.GetStampedHierarchyAsync(wait.Token);
            var stamp = await StampAsync(form, period, unitStamp, formStamp, fresh: false, wait.Token);
            if (stored is not null && stored.Snapshot.Stamp == stamp && stored.Snapshot.Final == Locked(catalog, form, period, VietnamTime.Today(time)))
            {
                return new RollupRead(stored.Snapshot, Stale: false);
            }
            var (fresh, _) = await ComputeOnceAsync(form, period, wait.Token);
            return new RollupRead(fresh.Snapshot, Stale: false);
        }
        catch (Exception e) when (fallback is not null)
        {
            // Storage failed or was slow, or the recomputation took longer than a reader waits: the last snapshot, said to be stale.
            logger.LogWarning("Answered the last rollup of {Form} {Period}, stale: {Reason}", form, period.Key, e.GetType().Name);
            return new RollupRead(fallback.Snapshot, Stale: true);
        }
    }

    /// <summary>
    /// What a reader asked about, checked before any rollup is read: the form rolls up, its period has begun under
    /// some version of the form, and the unit existed in the period. Null when all is well.
    /// </summary>
    public async Task<(Refusal? Refusal, UnitExistence? Unit)> CheckAsync(string form, Period period, string unit, CancellationToken cancellationToken)
    {
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        var definition = catalog.Find(form);
        if (definition is null)
        {
            return (Refusal.Of(RefusalKind.NotFound, CommonTexts.UnknownForm.Format(form)), null);
        }
        if (!RollsUp(definition))
        {
            return (Refusal.Of(RefusalKind.NotFound, RollupTexts.QuarterOnly.Format(form, period.Key)), null);
        }
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        if (hierarchy.Find(unit) is not { } found)
        {
            return (Refusal.Of(RefusalKind.NotFound, CommonTexts.UnknownUnit.Format(unit)), null);
        }
        var inSnapshot = period.Type == PeriodType.Quarter ? found.IsActiveOn(period.End) : found.IsActiveDuring(period.Start, period.End);
        if (!inSnapshot)
        {
            var existence = UnitExistence.Of(found, hierarchy);
            var message = (found.ValidTo is { } to
                    ? RollupTexts.UnitNotInPeriod.Format(unit, period.Key, found.ValidFrom, to)
                    : RollupTexts.UnitNotInPeriodYet.Format(unit, period.Key, found.ValidFrom))
                .Then(existence.Successors.Count > 0 ? RollupTexts.SeeSuccessors.Format(string.Join(", ", existence.Successors)) : null)
                .Then(existence.Predecessors.Count > 0 ? RollupTexts.SeePredecessors.Format(string.Join(", ", existence.Predecessors)) : null);
            return (Refusal.Of(RefusalKind.NotFound, message), existence);
        }
        var today = VietnamTime.Today(time);
        var first = period.Quarters()[0];
        if (catalog.ForPeriod(form, first) is not { } version || !version.Schedule.For(first).HasStartedOn(today))
        {
            return (Refusal.Of(RefusalKind.NotFound, RollupTexts.NotBegun.Format(form, period.Key)), null);
        }
        return (null, null);
    }

    /// <summary>Recomputes a (form, period) now, whatever its stamp (an administrator's run); null when the form has no rollups.</summary>
    public async Task<RollupSummary?> RunAsync(string form, Period period, CancellationToken cancellationToken)
    {
        var definition = (await forms.GetCatalogAsync(cancellationToken)).Find(form);
        if (definition is null || !RollsUp(definition))
        {
            return null;
        }
        var (_, summary) = await ComputeOnceAsync(form, period, cancellationToken);
        return summary;
    }

    /// <summary>
    /// The daily safety net: every quarter of a quarterly form from last year to next year that has started, and
    /// every quarter that has a snapshot, recomputed if stale or if it locked since its snapshot (then final).
    /// </summary>
    public async Task<IReadOnlyList<RollupSummary>> RunStaleQuartersAsync(CancellationToken cancellationToken)
    {
        var today = VietnamTime.Today(time);
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        var stored = await snapshots.ListAsync(cancellationToken);
        var candidates = catalog.Current.Where(RollsUp)
            .SelectMany(f => Enumerable.Range(today.Year - 1, 3).SelectMany(y => periods.PeriodsOf(PeriodType.Quarter, y)).Select(q => (Form: f.Code, Period: q)))
            .Concat(stored.Select(s => (s.Form, Period: Parse(s.Period))).Where(s => s.Period is { Type: PeriodType.Quarter }).Select(s => (s.Form, s.Period!)))
            .Distinct()
            .ToList();
        return await RefreshAsync(candidates, stored, today, cancellationToken);
    }

    /// <summary>
    /// The weekly safety net: the half-years and years of last year and this year, the five-year planning windows and
    /// overlapping named windows, and every longer period that has a snapshot, recomputed if stale.
    /// </summary>
    public async Task<IReadOnlyList<RollupSummary>> RunStalePeriodsAsync(CancellationToken cancellationToken)
    {
        var today = VietnamTime.Today(time);
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        var stored = await snapshots.ListAsync(cancellationToken);
        var recent = new[] { today.Year - 1, today.Year };
        var standard = recent.SelectMany(y => new[] { Period.HalfYear(y, 1), Period.HalfYear(y, 2), Period.CalendarYear(y) })
            .Concat(recent.Select(Period.PlanPeriodOf).Distinct())
            .Concat(periods.Windows.Where(w => w.Year >= today.Year - 1 && w.Start.Year <= today.Year))
            .ToList();
        var candidates = catalog.Current.Where(RollsUp).SelectMany(f => standard.Select(p => (Form: f.Code, Period: p)))
            .Concat(stored.Select(s => (s.Form, Period: Parse(s.Period))).Where(s => s.Period is { Type: not PeriodType.Quarter }).Select(s => (s.Form, s.Period!)))
            .Distinct()
            .ToList();
        return await RefreshAsync(candidates, stored, today, cancellationToken);
    }

    private async Task<IReadOnlyList<RollupSummary>> RefreshAsync(
        IReadOnlyList<(string Form, Period Period)> candidates, IReadOnlyList<(string Form, string Period, string Stamp, bool Final)> stored,
        DateOnly today, CancellationToken cancellationToken)
    {
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        var summaries = new List<RollupSummary>();
        foreach (var (form, period) in candidates.OrderBy(c => c.Form, StringComparer.Ordinal).ThenBy(c => c.Period))
        {
            var definition = catalog.ForPeriod(form, period.Quarters()[0]);
            if (definition is null || !definition.Schedule.For(period.Quarters()[0]).HasStartedOn(today))
            {
                continue;
            }
            var existing = stored.FirstOrDefault(s => s.Form == form && s.Period == period.Key);
            var locked = Locked(catalog, form, period, today);
            if (existing.Stamp == await StampAsync(form, period, fresh: true, cancellationToken) && existing.Final == locked)
            {
                continue;
            }
            if ((await ComputeOnceAsync(form, period, cancellationToken)).Summary is { } summary)
            {
                summaries.Add(summary);
            }
        }
        return summaries;
    }

    /// <summary>A quarter as a longer period takes it: a snapshot in memory, or a stored one's bytes.</summary>
    private sealed record QuarterSource(RollupSnapshot? Snapshot, ReadOnlyMemory<byte>? Bytes);

    /// <summary>
    /// A quarter as of now: the copy held in memory or the stored bytes when their stamp is current, else recomputed
    /// (shared with other callers).
    /// </summary>
    private async Task<QuarterSource> FreshQuarterAsync(string form, Period quarter, string current, CancellationToken cancellationToken)
    {
        if (_held.GetValueOrDefault(Key(form, quarter.Key)) is { } held && held.Snapshot.Stamp == current)
        {
            return new QuarterSource(held.Snapshot, null);
        }
        if (await snapshots.GetBytesAsync(form, quarter.Key, cancellationToken) is { } stored && stored.Stamp == current)
        {
            return new QuarterSource(null, stored.Content);
        }
        return new QuarterSource((await ComputeOnceAsync(form, quarter, cancellationToken)).Stored.Snapshot, null);
    }

    /// <summary>One computation per (form, period) at a time on this instance: concurrent callers share its result.</summary>
    private async Task<(StoredSnapshot Stored, RollupSummary? Summary)> ComputeOnceAsync(string form, Period period, CancellationToken cancellationToken)
    {
        var key = Key(form, period.Key);
        var run = _running.GetOrAdd(key, _ => new Lazy<Task<(StoredSnapshot, RollupSummary?)>>(() => ComputeAsync(form, period)));
        return await run.Value.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Computes and writes one snapshot. It runs to its end even if the caller that started it stops waiting (other
    /// readers share it), bounded by its own time limit.
    /// </summary>
    private async Task<(StoredSnapshot Stored, RollupSummary? Summary)> ComputeAsync(string form, Period period)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var cancellationToken = limit.Token;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var started = Stopwatch.GetTimestamp();
                var (catalog, formStamp) = await forms.GetStampedCatalogAsync(cancellationToken);
                var (hierarchy, unitStamp) = await units.GetStampedHierarchyAsync(cancellationToken);
                var marks = await MarksAsync(form, period, fresh: true, cancellationToken);
                var stamp = Stamp(marks, unitStamp, formStamp);
                var schema = RollupSchema.For(catalog, form, period);
                var today = VietnamTime.Today(time);
                var final = Locked(catalog, form, period, today);
                var previous = _held.GetValueOrDefault(Key(form, period.Key))?.ETag ?? await snapshots.GetETagAsync(form, period.Key, cancellationToken);
                var reads = 2;
                RollupSnapshot snapshot;
                if (period.Type == PeriodType.Quarter)
                {
                    var definition = catalog.ForPeriod(form, period)!;
                    var builder = new QuarterRollupBuilder(schema, hierarchy, period, definition.AppliesTo, options.Value.Counted);
                    reads += await submissions.ScanFiguresAsync(form, period.Key, builder.Add, cancellationToken);
                    snapshot = builder.Build(form, period.Key, time.GetUtcNow(), stamp, final);
                }
                else
                {
                    // The quarters first, each brought up to date (never a stale one: the stamp says what this was computed from),
                    // the next ones fetched while the current one is added.
                    var builder = new PeriodRollupBuilder(schema, hierarchy, period);
                    var quarters = period.Quarters();
                    Task<QuarterSource> Fetch(int k) =>
                        catalog.ForPeriod(form, quarters[k]) is { } version && version.Schedule.For(quarters[k]).HasStartedOn(today)
                            ? FreshQuarterAsync(form, quarters[k], Stamp([marks[k]], unitStamp, formStamp), cancellationToken)
                            : Task.FromResult(new QuarterSource(null, null));
                    var fetching = new Queue<Task<QuarterSource>>(Enumerable.Range(0, Math.Min(QuartersAhead, quarters.Count)).Select(Fetch));
                    for (var k = 0; k < quarters.Count; k++)
                    {
                        var source = await fetching.Dequeue();
                        if (k + QuartersAhead < quarters.Count)
                        {
                            fetching.Enqueue(Fetch(k + QuartersAhead));
                        }
                        if (source.Bytes is { } bytes)
                        {
                            builder.AddQuarter(bytes);
                        }
                        else
                        {
                            builder.AddQuarter(source.Snapshot);
                        }
                        reads++;
                    }
                    snapshot = builder.Build(form, period.Key, time.GetUtcNow(), stamp, final);
                }
                var etag = await snapshots.PutAsync(snapshot, previous, cancellationToken);
                if (etag is null && attempt == 0)
                {
                    // Another instance wrote in between: read what it wrote, and compute again if it is not this state.
                    _held.TryRemove(Key(form, period.Key), out _);
                    if (await snapshots.GetAsync(form, period.Key, null, cancellationToken) is { } theirs && theirs.Snapshot.Stamp == stamp)
                    {
                        _held[Key(form, period.Key)] = theirs;
                        return (theirs, null);
                    }
                    continue;
                }
                if (etag is null)
                {
                    throw new InvalidOperationException($"The rollup of {form} {period.Key} kept changing under this run.");
                }
                var stored = new StoredSnapshot(snapshot, etag.Value);
                _held[Key(form, period.Key)] = stored;
                var summary = new RollupSummary(form, period.Key, snapshot.Units.Length, snapshot.AggregatePresent.Count(p => p), reads, 1,
                    Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 3));
                logger.LogInformation("Computed the rollup of {Form} {Period}: {Units} units from {Reads} reads in {Seconds} s",
                    form, period.Key, summary.Units, summary.Reads, summary.Seconds);
                return (stored, summary);
            }
        }
        finally
        {
            _running.TryRemove(Key(form, period.Key), out _);
        }
    }

    /// <summary>
    /// What a (form, period)'s rollup must be computed from now: its quarters' change marks, the hierarchy's and the
    /// forms' version stamps, and the statuses that count. Change marks are read at most every two seconds unless
    /// <paramref name="fresh"/>.
    /// </summary>
    private async Task<string> StampAsync(string form, Period period, string? unitStamp, string? formStamp, bool fresh, CancellationToken cancellationToken) =>
        Stamp(await MarksAsync(form, period, fresh, cancellationToken), unitStamp, formStamp);

    private Task<string[]> MarksAsync(string form, Period period, bool fresh, CancellationToken cancellationToken) =>
        Task.WhenAll(period.Quarters().Select(q => MarkAsync(form, q.Key, fresh, cancellationToken)));

    private string Stamp(IEnumerable<string> marks, string? unitStamp, string? formStamp) =>
        Qcdc.Storage.Digest.Of($"{string.Join(",", marks)}|u:{unitStamp}|f:{formStamp}|c:{string.Join(",", options.Value.Counted)}");

    /// <summary>The change stamp a (form, period)'s rollup would be computed from now (what a snapshot must carry to be fresh).</summary>
    public Task<string> ChangeStampAsync(string form, Period period, CancellationToken cancellationToken) => StampAsync(form, period, fresh: true, cancellationToken);

    private async Task<string> StampAsync(string form, Period period, bool fresh, CancellationToken cancellationToken)
    {
        var (_, formStamp) = await forms.GetStampedCatalogAsync(cancellationToken);
        var (_, unitStamp) = await units.GetStampedHierarchyAsync(cancellationToken);
        return await StampAsync(form, period, unitStamp, formStamp, fresh, cancellationToken);
    }

    private async Task<string> MarkAsync(string form, string quarter, bool fresh, CancellationToken cancellationToken) =>
        await marks.ChangeStampAsync(form, quarter, fresh ? TimeSpan.Zero : StampCacheDuration, cancellationToken) ?? "none";

    /// <summary>A period is final when every quarter of it has locked for reporters.</summary>
    private static bool Locked(FormCatalog catalog, string form, Period period, DateOnly today) =>
        period.Quarters().All(q => catalog.ForPeriod(form, q) is { } version && version.Schedule.For(q).IsLockedOn(today));

    private Period? Parse(string key) => periods.TryResolve(key, out var period) ? period : null;

    private static string Key(string form, string period) => $"{form}/{period}";
}
