using System.Diagnostics.CodeAnalysis;

namespace Qcdc.Periods;

/// <summary>A named resolution window as configured: its name and first and last quarter.</summary>
public sealed record NamedWindow(string Name, string FirstQuarter, string LastQuarter, string? Title = null);

/// <summary>Parses period keys, including the configured named resolution windows.</summary>
public sealed class PeriodCatalog
{
    private readonly Dictionary<string, Period> _windows;
    private readonly Dictionary<string, string> _titles = new(StringComparer.Ordinal);

    public PeriodCatalog(IEnumerable<NamedWindow> windows)
    {
        _windows = new(StringComparer.Ordinal);
        foreach (var window in windows)
        {
            if (!Period.TryParse(window.FirstQuarter, out var first) || !Period.TryParse(window.LastQuarter, out var last))
            {
                throw new ArgumentException($"Window {window.Name}: {window.FirstQuarter}–{window.LastQuarter} are not quarters.");
            }
            _windows.Add(window.Name, Period.Window(window.Name, first, last));
            if (window.Title is { } title)
            {
                _titles[window.Name] = title;
            }
        }
    }

    /// <summary>The windows known when nothing else is configured: the 5-year review of Resolution 02-NQ/TU (12 May 2017).</summary>
    public static IReadOnlyList<NamedWindow> DefaultWindows { get; } =
        [new("NQ02-2017", "2017Q3", "2022Q2", "Nghị quyết 02-NQ/TU ngày 12/5/2017")];

    public IReadOnlyCollection<Period> Windows => _windows.Values;

    public bool TryResolve(string? text, [NotNullWhen(true)] out Period? period)
    {
        if (Period.TryParse(text, out period))
        {
            return true;
        }
        return text is not null && _windows.TryGetValue(text, out period);
    }

    /// <summary>The title of a named window ("Nghị quyết 02-NQ/TU ngày 12/5/2017"), or null.</summary>
    public string? Title(Period period) => _titles.GetValueOrDefault(period.Key);

    /// <summary>
    /// The periods of one type of the given year: its quarters, its halves, the year itself; for five years, the plan
    /// period holding the year (2026 → 2026–2030) and every named window ending that year.
    /// </summary>
    public IReadOnlyList<Period> PeriodsOf(PeriodType type, int year) => type switch
    {
        PeriodType.Quarter => [.. Enumerable.Range(1, 4).Select(q => Period.Quarter(year, q))],
        PeriodType.HalfYear => [Period.HalfYear(year, 1), Period.HalfYear(year, 2)],
        PeriodType.Year => [Period.CalendarYear(year)],
        _ => [.. new[] { Period.PlanPeriodOf(year) }.Concat(_windows.Values.Where(w => w.Year == year)).Order()],
    };
}
