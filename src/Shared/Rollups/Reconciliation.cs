using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Qcdc.Forms;
using Qcdc.Json;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Problems;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Rollups;

/// <summary>One figure of a five-year report beside what the quarterly reports add up to over the same window.</summary>
public sealed record ReconciledCell(
    string Cell, string Indicator, string Label, decimal? Reported, decimal? Computed, decimal? Difference, decimal? DifferencePercent, bool OverThreshold);

/// <summary>A unit's five-year report, figure by figure.</summary>
public sealed record UnitReconciliation(string Unit, string? Name, SubmissionStatus Status, IReadOnlyList<ReconciledCell> Cells, bool OverThreshold);

/// <summary>
/// The five-year reports of a unit and its subtree against the quarterly reports aggregated with the same rules over
/// time and across the hierarchy (the rollup of the quarterly form for the window), and the units whose difference
/// passes the threshold.
/// </summary>
public sealed record Reconciliation(
    string Form, string QuarterlyForm, string Period, string Unit, decimal ThresholdPercent, DateTimeOffset ComputedAt, bool Stale,
    IReadOnlyList<UnitReconciliation> Units, IReadOnlyList<string> UnitsOverThreshold, IReadOnlyList<string> NotComparable);

public static class ReconciliationTexts
{
    public static readonly LocalizedText NotReconciled = new(
        "The form {0} is not reconciled with a quarterly form.", "Biểu mẫu {0} không có biểu mẫu quý để đối chiếu.");
    public static readonly LocalizedText NotFiveYears = new(
        "Reconciliation compares a five-year window: {0} is not one.", "Đối chiếu áp dụng cho giai đoạn 5 năm: {0} không phải giai đoạn 5 năm.");
}

public sealed class ReconciliationService(SubmissionStore submissions, RollupService rollups, FormStore forms, UnitStore units, IOptions<RollupOptions> options)
{
    public async Task<(Refusal? Refusal, Reconciliation? Result)> ReconcileAsync(string form, Period period, string unit, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Asked by either form of the pair: the five-year form, or the quarterly one it is reconciled with.
        if (!settings.ReconcileWith.TryGetValue(form, out var quarterlyForm))
        {
            if (settings.ReconcileWith.FirstOrDefault(p => p.Value == form) is { Key: { } fiveYearForm })
            {
                (form, quarterlyForm) = (fiveYearForm, form);
            }
            else
            {
                return (Refusal.About(RefusalKind.Invalid, "form", ReconciliationTexts.NotReconciled.Format(form)), null);
            }
        }
        if (period.Type != PeriodType.FiveYear)
        {
            return (Refusal.About(RefusalKind.Invalid, "period", ReconciliationTexts.NotFiveYears.Format(period.Key)), null);
        }
        var (refusal, _) = await rollups.CheckAsync(quarterlyForm, period, unit, cancellationToken);
        if (refusal is not null)
        {
            return (refusal, null);
        }
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        var fiveYear = catalog.ForPeriod(form, period) ?? catalog.Find(form);
        var quarterly = catalog.ForPeriod(quarterlyForm, period.Quarters()[^1]) ?? catalog.Find(quarterlyForm);
        if (fiveYear is null || quarterly is null)
        {
            return (Refusal.About(RefusalKind.Invalid, "form", ReconciliationTexts.NotReconciled.Format(form)), null);
        }
        var comparable = fiveYear.Indicators
            .Where(i => i.Type is not (IndicatorType.Text or IndicatorType.Boolean))
            .Select(i => (FiveYear: i, Quarterly: quarterly.FindIndicator(i.Code)))
            .ToList();
        var notComparable = comparable.Where(p => p.Quarterly is null || p.Quarterly.Type != p.FiveYear.Type).Select(p => p.FiveYear.Code).ToList();
        var pairs = comparable.Where(p => p.Quarterly is not null && p.Quarterly.Type == p.FiveYear.Type).Select(p => p.FiveYear).ToList();

        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        var under = hierarchy.SubtreeAsOf(unit, period.End).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        under.Add(unit);
        var read = await rollups.ReadAsync(quarterlyForm, period, cancellationToken);
        var results = new List<UnitReconciliation>();
        await foreach (var report in submissions.ScanAsync(form, period.Key, cancellationToken))
        {
            if (!under.Contains(report.Key.Unit) || !settings.Counted.Contains(report.Status))
            {
                continue;
            }
            var computed = read.Snapshot.IndexOf(report.Key.Unit) >= 0 ? RollupViews.ForUnit(read, report.Key.Unit, hierarchy).Values : null;
            var cells = pairs.SelectMany(i => Cells(i, report.Values, computed, settings.ReconcileThresholdPercent)).ToList();
            results.Add(new UnitReconciliation(report.Key.Unit, hierarchy.Find(report.Key.Unit)?.Name, report.Status, cells, cells.Any(c => c.OverThreshold)));
        }
        results.Sort((a, b) => string.CompareOrdinal(a.Unit, b.Unit));
        return (null, new Reconciliation(form, quarterlyForm, period.Key, unit, settings.ReconcileThresholdPercent, read.Snapshot.ComputedAt, read.Stale,
            results, [.. results.Where(r => r.OverThreshold).Select(r => r.Unit)], notComparable));
    }

    /// <summary>The figures of one indicator: the number itself, each category, or a ratio's numerator and denominator.</summary>
    private static IEnumerable<ReconciledCell> Cells(Indicator indicator, JsonObject reported, JsonObject? computed, decimal threshold)
    {
        IEnumerable<string?> parts = indicator.Type == IndicatorType.Ratio ? new string?[] { "numerator", "denominator" }
            : indicator.Categories.Count > 0 ? indicator.Categories.Select(c => (string?)c.Code)
            : new string?[] { null };
        foreach (var part in parts)
        {
            var mine = Number(reported[indicator.Code], part);
            var theirs = Number(computed?[indicator.Code], part);
            if (mine is null && theirs is null)
            {
                continue;
            }
            var difference = mine - theirs;
            decimal? percent = difference is { } d && theirs is { } c && c != 0 ? Math.Round(d / c * 100m, 1) : null;
            var over = difference is { } diff && diff != 0 && (percent is null ? theirs is not null : Math.Abs(percent.Value) > threshold);
            var label = part is null ? indicator.Label
                : indicator.Type == IndicatorType.Ratio ? $"{indicator.Label} ({(part == "numerator" ? "tử số" : "mẫu số")})"
                : $"{indicator.Label} — {indicator.Categories.First(c => c.Code == part).Label}";
            yield return new ReconciledCell(part is null ? indicator.Code : $"{indicator.Code}.{part}", indicator.Code, label, mine, theirs, difference, percent, over);
        }
    }

    private static decimal? Number(JsonNode? node, string? part) => JsonNumbers.ToDecimal(part is null ? node : (node as JsonObject)?[part]);
}
