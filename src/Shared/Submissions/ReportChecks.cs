using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Qcdc.Forms;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Units;

namespace Qcdc.Submissions;

/// <summary>Settings of the outlier test (section <c>Checks</c>).</summary>
public sealed class CheckOptions
{
    public const string Section = "Checks";

    /// <summary>How many earlier quarters of the same unit a value is compared with.</summary>
    public int HistoryQuarters { get; set; } = 8;

    /// <summary>Fewer earlier values than this: no comparison (a median of two says nothing).</summary>
    public int MinimumHistory { get; set; } = 4;

    /// <summary>A modified z-score beyond this is an outlier (Iglewicz and Hoaglin's 3.5, as DHIS2 uses).</summary>
    public decimal Threshold { get; set; } = 3.5m;
}

/// <summary>
/// Every check of a report: the form version's rules (<see cref="FormChecks"/>) and the outlier tests of each number —
/// against the unit's own earlier quarters (<see cref="IReportHistory"/>) (modified z-score: 0.6745 × (x − median) / MAD, beyond the threshold;
/// with MAD = 0 the mean absolute deviation × 1.2533 stands in; history all equal: no test) and against the bounds an
/// admin set for the unit's kind. Outliers are warnings naming the expected range; they never block.
/// </summary>
public sealed class ReportChecks(IReportHistory history, FormStore forms, IOptions<CheckOptions> options)
{
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Code, int Version, string Kind), FormChecks> _rules = new();

    /// <summary>
    /// A form version's rules as one kind of unit is checked by them (<see cref="FormDefinition.For"/>), parsed and bound
    /// once (a published version never changes).
    /// </summary>
    public FormChecks RulesOf(FormDefinition form) =>
        form.Version > 0 ? _rules.GetOrAdd((form.Code, form.Version, form.AskedOf ?? ""), _ => new FormChecks(form)) : new FormChecks(form);

    public async Task<List<Check>> EvaluateAsync(FormDefinition form, Period period, Unit unit, JsonObject values, CancellationToken cancellationToken)
    {
        // The values are read into the version's row of cells once; rules and outlier tests both work on it.
        var rules = RulesOf(form);
        var (row, present) = (new decimal[rules.Layout.Count], new bool[rules.Layout.Count]);
        rules.Layout.Load(values, row, present);
        var checks = rules.Evaluate(row, present);
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        var earlier = await HistoryAsync(form.Code, period, unit.Code, cancellationToken);
        checks.AddRange(Outliers(form, rules.Layout, row, present, Profile(rules.Layout, earlier, options.Value),
            catalog.BoundsOf(form.Code).GetValueOrDefault(unit.Kind), unit.Kind));
        return checks;
    }

    /// <summary>The values of the unit's counted reports of the quarters before a quarter (none for a longer period).</summary>
    public Task<IReadOnlyList<JsonObject>> HistoryAsync(string form, Period period, string unit, CancellationToken cancellationToken) =>
        period.Type == PeriodType.Quarter
            ? history.EarlierAsync(form, period, unit, options.Value.HistoryQuarters, cancellationToken)
            : Task.FromResult<IReadOnlyList<JsonObject>>([]);

    /// <summary>Each number of a form version by its cell: plain values, categories, the two sides of a ratio.</summary>
    public static IReadOnlyList<string> NumericCells(FormDefinition form) => new CellLayout(form).NumericCells;

    /// <summary>What a unit's earlier quarters say of one cell: the range a value is usual in, from how many quarters.</summary>
    public readonly record struct UsualRange(decimal Low, decimal High, int Quarters);

    /// <summary>
    /// For each cell of the layout, the range of usual values from the unit's earlier quarters (median ± threshold ×
    /// spread), or null when there are too few of them or they are all equal. Computed once per unit and quarter.
    /// </summary>
    public static UsualRange?[] Profile(CellLayout layout, IReadOnlyList<JsonObject> history, CheckOptions options)
    {
        var ranges = new UsualRange?[layout.Count];
        if (history.Count < options.MinimumHistory)
        {
            return ranges;
        }
        var rows = new decimal[history.Count][];
        var present = new bool[history.Count][];
        for (var h = 0; h < history.Count; h++)
        {
            (rows[h], present[h]) = (new decimal[layout.Count], new bool[layout.Count]);
            layout.Load(history[h], rows[h], present[h]);
        }
        var earlier = new List<decimal>(history.Count);
        foreach (var cell in layout.NumericCells)
        {
            var i = layout.IndexOf(cell);
            earlier.Clear();
            for (var h = 0; h < history.Count; h++)
            {
                if (present[h][i])
                {
                    earlier.Add(rows[h][i]);
                }
            }
            if (earlier.Count >= options.MinimumHistory && Range(earlier, options.Threshold) is var (median, spread))
            {
                ranges[i] = new UsualRange(median - options.Threshold * spread, median + options.Threshold * spread, earlier.Count);
            }
        }
        return ranges;
    }

    public static List<Check> Outliers(
        FormDefinition form, JsonObject values, IReadOnlyList<JsonObject> history, IReadOnlyDictionary<string, ValueBounds>? bounds, string kind, CheckOptions options)
    {
        var layout = new CellLayout(form);
        var (row, present) = (new decimal[layout.Count], new bool[layout.Count]);
        layout.Load(values, row, present);
        return Outliers(form, layout, row, present, Profile(layout, history, options), bounds, kind);
    }

    /// <summary>The outliers of a row of cells, against the unit's usual ranges and the bounds set for its kind.</summary>
    public static List<Check> Outliers(
        FormDefinition form, CellLayout layout, ReadOnlySpan<decimal> row, ReadOnlySpan<bool> present, UsualRange?[] usual,
        IReadOnlyDictionary<string, ValueBounds>? bounds, string kind)
    {
        var checks = new List<Check>();
        var indices = layout.NumericIndices;
        for (var n = 0; n < indices.Length; n++)
        {
            var i = indices[n];
            if (!present[i])
            {
                continue;
            }
            var value = row[i];
            var cell = layout.NumericCells[n];
            if (bounds is not null && bounds.GetValueOrDefault(cell) is { } bound && (value < bound.Min || value > bound.Max))
            {
                checks.Add(Check.Described($"bounds:{cell}", CheckKind.Outlier, CheckSeverity.Warning, [cell], () =>
                {
                    var label = FormChecks.LabelOf(form, cell);
                    var (min, max) = (bound.Min is { } lo ? Text(lo) : (En: "…", Vi: "…"), bound.Max is { } hi ? Text(hi) : (En: "…", Vi: "…"));
                    return new LocalizedText(
                        $"{label}: {Text(value).En} is outside the bounds set for units of kind {kind} ({min.En} to {max.En}).",
                        $"{label}: {Text(value).Vi} nằm ngoài khoảng đặt cho loại đơn vị {UnitKinds.NameOf(kind)} (từ {min.Vi} đến {max.Vi}).");
                }));
                continue;
            }
            if (usual[i] is not { } range || (value >= range.Low && value <= range.High))
            {
                continue;
            }
            checks.Add(Check.Described($"outlier:{cell}", CheckKind.Outlier, CheckSeverity.Warning, [cell], () =>
            {
                var name = FormChecks.LabelOf(form, cell);
                var (l, h, v) = (Text(decimal.Floor(Math.Max(0, range.Low))), Text(decimal.Ceiling(range.High)), Text(value));
                return new LocalizedText(
                    $"{name}: {v.En} is far from this unit's {range.Quarters} earlier quarters (expected {l.En} to {h.En}); check it.",
                    $"{name}: {v.Vi} khác xa {range.Quarters} quý trước của đơn vị (thường từ {l.Vi} đến {h.Vi}); đề nghị kiểm tra lại.");
            }));
        }
        return checks;
    }

    /// <summary>The median and the spread one unit of modified z-score stands for (MAD / 0.6745, or 1.2533 × mean AD); null when all are equal.</summary>
    public static (decimal Median, decimal Spread)? Range(IReadOnlyList<decimal> values, decimal threshold)
    {
        Span<decimal> sorted = values.Count <= 64 ? stackalloc decimal[values.Count] : new decimal[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            sorted[i] = values[i];
        }
        var median = Median(sorted);
        var sum = 0m;
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = Math.Abs(sorted[i] - median);
            sum += sorted[i];
        }
        var mad = Median(sorted);
        if (mad > 0)
        {
            return (median, mad / 0.6745m);
        }
        var mean = sum / sorted.Length;
        return mean > 0 ? (median, 1.253314m * mean) : null;
    }

    /// <summary>The median, sorting the span in place.</summary>
    private static decimal Median(Span<decimal> values)
    {
        values.Sort();
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static (string En, string Vi) Text(decimal value) =>
        (FormChecks.Number(value, CultureInfo.InvariantCulture), FormChecks.Number(value, Vietnamese));
}
