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
/// against the unit's own earlier quarters (modified z-score: 0.6745 × (x − median) / MAD, beyond the threshold;
/// with MAD = 0 the mean absolute deviation × 1.2533 stands in; history all equal: no test) and against the bounds an
/// admin set for the unit's kind. Outliers are warnings naming the expected range; they never block.
/// </summary>
public sealed class ReportChecks(SubmissionStore store, FormStore forms, IOptions<CheckOptions> options, TimeProvider time)
{
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>How long a unit's earlier quarters are kept in memory: a clerk's saves and the submit after them read them once.</summary>
    private static readonly TimeSpan HistoryLifetime = TimeSpan.FromMinutes(2);

    private const int MaxCachedHistories = 20_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Form, string Period, string Unit), (DateTimeOffset At, Task<IReadOnlyList<JsonObject>> Values)> _histories = new();

    public async Task<List<Check>> EvaluateAsync(FormDefinition form, Period period, Unit unit, JsonObject values, CancellationToken cancellationToken)
    {
        var checks = new FormChecks(form).Evaluate(values);
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        var history = await HistoryAsync(form.Code, period, unit.Code, cancellationToken);
        checks.AddRange(Outliers(form, values, history, catalog.BoundsOf(form.Code).GetValueOrDefault(unit.Kind), unit.Kind, options.Value));
        return checks;
    }

    /// <summary>
    /// The values of the unit's reports (sent or approved) of the quarters before a quarter, newest first; kept for a
    /// short while, and forgotten at once when one of those reports changes on this instance.
    /// </summary>
    public Task<IReadOnlyList<JsonObject>> HistoryAsync(string form, Period period, string unit, CancellationToken cancellationToken)
    {
        if (period.Type != PeriodType.Quarter)
        {
            return Task.FromResult<IReadOnlyList<JsonObject>>([]);
        }
        var now = time.GetUtcNow();
        var key = (form, period.Key, unit);
        if (_histories.TryGetValue(key, out var cached) && now - cached.At < HistoryLifetime && !cached.Values.IsFaulted && !cached.Values.IsCanceled)
        {
            return cached.Values;
        }
        if (_histories.Count > MaxCachedHistories)
        {
            _histories.Clear();
        }
        var read = ReadHistoryAsync(form, period, unit, cancellationToken);
        _histories[key] = (now, read);
        return read;
    }

    /// <summary>A report changed: the histories of the quarters after it that hold it are read again.</summary>
    public void Forget(string form, string period, string unit)
    {
        if (!Period.TryParse(period, out var changed) || changed.Type != PeriodType.Quarter)
        {
            return;
        }
        for (var ahead = 1; ahead <= options.Value.HistoryQuarters; ahead++)
        {
            var index = changed.FirstQuarter + ahead;
            _histories.TryRemove((form, Period.Quarter(index / 4, index % 4 + 1).Key, unit), out _);
        }
    }

    private async Task<IReadOnlyList<JsonObject>> ReadHistoryAsync(string form, Period period, string unit, CancellationToken cancellationToken)
    {
        var quarters = Enumerable.Range(1, options.Value.HistoryQuarters).Select(back => period.FirstQuarter - back)
            .Select(index => Period.Quarter(index / 4, index % 4 + 1));
        var reads = await Task.WhenAll(quarters.Select(q => store.GetAsync(new SubmissionKey(form, q.Key, unit), cancellationToken)));
        return [.. reads.Select(r => r.Submission).Where(s => s?.Status is SubmissionStatus.Submitted or SubmissionStatus.Approved).Select(s => s!.Values)];
    }

    /// <summary>Each number of a form version by its cell: plain values, categories, the two sides of a ratio.</summary>
    public static IEnumerable<string> NumericCells(FormDefinition form) => form.Indicators.SelectMany(i => i switch
    {
        { Type: IndicatorType.Ratio } => [$"{i.Code}.numerator", $"{i.Code}.denominator"],
        { IsNumeric: true, Categories.Count: > 0 } => i.Categories.Select(c => $"{i.Code}.{c.Code}"),
        { IsNumeric: true } => [i.Code],
        _ => Enumerable.Empty<string>(),
    });

    public static IEnumerable<Check> Outliers(
        FormDefinition form, JsonObject values, IReadOnlyList<JsonObject> history, IReadOnlyDictionary<string, ValueBounds>? bounds, string kind, CheckOptions options)
    {
        foreach (var cell in NumericCells(form))
        {
            if (RuleExpression.Read(values, cell) is not { } value)
            {
                continue;
            }
            var label = FormChecks.LabelOf(form, cell);
            if (bounds?.GetValueOrDefault(cell) is { } bound && (value < bound.Min || value > bound.Max))
            {
                var (min, max) = (bound.Min is { } lo ? Text(lo) : (En: "…", Vi: "…"), bound.Max is { } hi ? Text(hi) : (En: "…", Vi: "…"));
                yield return new Check($"bounds:{cell}", CheckKind.Outlier, CheckSeverity.Warning, [cell], new LocalizedText(
                    $"{label}: {Text(value).En} is outside the bounds set for units of kind {kind} ({min.En} to {max.En}).",
                    $"{label}: {Text(value).Vi} nằm ngoài khoảng đặt cho loại đơn vị {UnitKinds.NameOf(kind)} (từ {min.Vi} đến {max.Vi})."));
                continue;
            }
            var earlier = history.Select(h => RuleExpression.Read(h, cell)).OfType<decimal>().ToList();
            if (earlier.Count < options.MinimumHistory || Range(earlier, options.Threshold) is not var (median, spread))
            {
                continue;
            }
            if (Math.Abs(value - median) / spread <= options.Threshold)
            {
                continue;
            }
            var (low, high) = (Math.Max(0, median - options.Threshold * spread), median + options.Threshold * spread);
            var (l, h2, v) = (Text(decimal.Floor(low)), Text(decimal.Ceiling(high)), Text(value));
            yield return new Check($"outlier:{cell}", CheckKind.Outlier, CheckSeverity.Warning, [cell], new LocalizedText(
                $"{label}: {v.En} is far from this unit's {earlier.Count} earlier quarters (expected {l.En} to {h2.En}); check it.",
                $"{label}: {v.Vi} khác xa {earlier.Count} quý trước của đơn vị (thường từ {l.Vi} đến {h2.Vi}); đề nghị kiểm tra lại."));
        }
    }

    /// <summary>The median and the spread one unit of modified z-score stands for (MAD / 0.6745, or 1.2533 × mean AD); null when all are equal.</summary>
    public static (decimal Median, decimal Spread)? Range(IReadOnlyList<decimal> values, decimal threshold)
    {
        var median = Median(values);
        var deviations = values.Select(v => Math.Abs(v - median)).ToList();
        var mad = Median(deviations);
        if (mad > 0)
        {
            return (median, mad / 0.6745m);
        }
        var mean = deviations.Average();
        return mean > 0 ? (median, 1.253314m * mean) : null;
    }

    private static decimal Median(IReadOnlyList<decimal> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static (string En, string Vi) Text(decimal value) =>
        (FormChecks.Number(value, CultureInfo.InvariantCulture), FormChecks.Number(value, Vietnamese));
}
