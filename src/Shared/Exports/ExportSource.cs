using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Qcdc.Forms;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Problems;
using Qcdc.Rollups;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Exports;

/// <summary>Everything an export of one unit's rollup is made from: the snapshot, the unit's view of it, its completeness.</summary>
public sealed class ExportData
{
    public required FormDefinition Form { get; init; }
    public required Period Period { get; init; }
    /// <summary>"Quý III năm 2024", "Giai đoạn 2021–2025".</summary>
    public required string PeriodName { get; init; }
    public required RollupRead Read { get; init; }
    public required Unit Unit { get; init; }
    public required UnitRollup View { get; init; }
    public required CompletenessListing Completeness { get; init; }
    public required UnitHierarchy Hierarchy { get; init; }
    /// <summary>The unit and every unit below it in the period (codes).</summary>
    public required IReadOnlySet<string> Subtree { get; init; }
    public required IReadOnlyCollection<SubmissionStatus> Counted { get; init; }

    /// <summary>For a five-year period of a reconciled form: its five-year reports beside their quarters.</summary>
    public Reconciliation? Reconciliation { get; init; }

    public RollupSnapshot Snapshot => Read.Snapshot;

    public RollupSchema Schema => Read.Snapshot.Schema;

    /// <summary>The units directly below the unit in the period, in code order (one column each in the workbook).</summary>
    public IReadOnlyList<int> Children =>
        [.. Snapshot.ChildrenOf(Snapshot.IndexOf(Unit.Code)).OrderBy(c => Snapshot.Units[c], StringComparer.Ordinal)];

    /// <summary>What the exports need of a snapshot read for one unit.</summary>
    public static ExportData Create(
        FormDefinition form, Period period, string periodName, RollupRead read, UnitHierarchy hierarchy, string unit, IReadOnlyCollection<SubmissionStatus> counted)
    {
        var snapshot = read.Snapshot;
        return new ExportData
        {
            Form = form,
            Period = period,
            PeriodName = periodName,
            Read = read,
            Unit = hierarchy.Find(unit)!,
            View = RollupViews.ForUnit(read, unit, hierarchy),
            Completeness = RollupViews.Completeness(read, unit, hierarchy),
            Hierarchy = hierarchy,
            Subtree = snapshot.SubtreeOf(snapshot.IndexOf(unit)).Select(u => snapshot.Units[u]).ToHashSet(StringComparer.Ordinal),
            Counted = counted,
        };
    }

    public ExportData With(Reconciliation? reconciliation) => new()
    {
        Form = Form, Period = Period, PeriodName = PeriodName, Read = Read, Unit = Unit, View = View, Completeness = Completeness,
        Hierarchy = Hierarchy, Subtree = Subtree, Counted = Counted, Reconciliation = reconciliation,
    };

    public string NameOf(string code) => Hierarchy.Find(code)?.Name ?? code;

    /// <summary>A unit's figure of one slot as people are shown it (apportioned shares rounded), or null when there is none.</summary>
    public decimal? Figure(int unit, int slot)
    {
        var i = unit * Schema.SlotCount + slot;
        if (!Snapshot.AggregatePresent[i])
        {
            return null;
        }
        var value = Micro.ToDecimal(Snapshot.Aggregate[i]);
        return !Snapshot.IsQuarter && Snapshot.Apportioned[unit] ? RollupViews.Rounded(Schema.Indicators.First(x => slot >= x.FirstSlot && slot < x.FirstSlot + x.SlotCount), value) : value;
    }
}

/// <summary>
/// Loads what the exports of a unit's rollup need — the same fresh snapshot and checks as <c>GET /api/rollups</c> —
/// and streams the counted reports of the unit's subtree, page by page, never all at once.
/// </summary>
public sealed class ExportSource(
    RollupService rollups, SubmissionStore submissions, UnitStore units, FormStore forms, PeriodCatalog periods, IOptions<RollupOptions> options,
    ReconciliationService reconciliation, IOptions<ReportOptions> reports)
{
    /// <summary>The installation's settings of the draft report.</summary>
    public ReportOptions Reports => reports.Value;

    public async Task<(ExportData? Data, Refusal? Refusal, UnitExistence? Unit)> LoadAsync(
        string form, string period, string unit, CancellationToken cancellationToken)
    {
        if (!periods.TryResolve(period, out var resolved))
        {
            return (null, Refusal.About(RefusalKind.Invalid, "period", CommonTexts.BadPeriod.Format(period)), null);
        }
        var (refusal, existence) = await rollups.CheckAsync(form, resolved, unit, cancellationToken);
        if (refusal is not null)
        {
            return (null, refusal, existence);
        }
        var read = await rollups.ReadAsync(form, resolved, cancellationToken);
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        if (read.Snapshot.IndexOf(unit) < 0)
        {
            return (null, Refusal.Of(RefusalKind.NotFound, CommonTexts.UnknownUnit.Format(unit)), null);
        }
        var definition = catalog.ForPeriod(form, resolved.Quarters()[^1]) ?? catalog.Find(form)!;
        var data = ExportData.Create(definition, resolved, VietnameseFormat.Period(resolved, periods.Title(resolved)), read, hierarchy, unit, options.Value.Counted);
        if (resolved.Type == PeriodType.FiveYear && options.Value.ReconcileWith.ContainsValue(form))
        {
            data = data.With((await reconciliation.ReconcileAsync(form, resolved, unit, cancellationToken)).Result);
        }
        return (data, null, null);
    }

    /// <summary>The counted reports of the unit's subtree, quarter by quarter, each quarter in unit order.</summary>
    public async IAsyncEnumerable<Submission> ReportsAsync(ExportData data, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var quarter in data.Period.Quarters())
        {
            await foreach (var report in submissions.ScanAsync(data.Form.Code, quarter.Key, cancellationToken))
            {
                if (data.Counted.Contains(report.Status) && data.Subtree.Contains(report.Key.Unit))
                {
                    yield return report;
                }
            }
        }
    }

    /// <summary>Each unit's latest counted report of the period (what a longer period's narratives are taken from).</summary>
    public async Task<IReadOnlyList<Submission>> LatestReportsAsync(ExportData data, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<string, Submission>(StringComparer.Ordinal);
        await foreach (var report in ReportsAsync(data, cancellationToken))
        {
            latest[report.Key.Unit] = report; // later quarters come later
        }
        return [.. latest.Values.OrderBy(r => r.Key.Unit, StringComparer.Ordinal)];
    }
}
