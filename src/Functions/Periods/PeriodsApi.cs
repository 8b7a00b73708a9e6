using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Forms;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Problems;

namespace Qcdc.Functions.Periods;

public static class PeriodsApi
{
    public sealed record PeriodView(
        string Period, PeriodType Type, DateOnly Start, DateOnly End, IReadOnlyList<string> Quarters, DateOnly DataStart, DateOnly Cutoff,
        IReadOnlyDictionary<string, DateOnly> Deadlines, DateOnly LockDate, bool Open, bool Locked);

    public sealed record WindowView(string Name, string? Title, string FirstQuarter, string LastQuarter);

    public sealed record WindowList(IReadOnlyList<WindowView> Windows);

    internal static Ok<WindowList> ListWindows(PeriodCatalog periods) =>
        TypedResults.Ok(new WindowList([.. periods.Windows.OrderBy(w => w.FirstQuarter).Select(w =>
            new WindowView(w.Key, periods.Title(w), w.Quarters()[0].Key, w.Quarters()[^1].Key))]));

    public sealed record PeriodList(string Form, int Year, DateOnly Today, IReadOnlyList<PeriodView> Periods);

    internal static async Task<Results<Ok<PeriodList>, ProblemHttpResult>> ListPeriods(
        string form, string? year, FormStore forms, PeriodCatalog periods, TimeProvider time, CancellationToken cancellationToken)
    {
        var today = VietnamTime.Today(time);
        var wanted = today.Year;
        if (year is not null && (!int.TryParse(year, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out wanted) || wanted is < 2000 or > 2100))
        {
            return ProblemResults.About(RefusalKind.BadRequest, "year", FormTexts.BadYear);
        }
        var definition = (await forms.GetCatalogAsync(cancellationToken)).Find(form);
        if (definition is null)
        {
            return ProblemResults.NotFound(CommonTexts.UnknownForm.Format(form));
        }
        var views = periods.PeriodsOf(definition.PeriodType, wanted).Select(p =>
        {
            var schedule = definition.Schedule.For(p);
            return new PeriodView(p.Key, p.Type, p.Start, p.End, [.. p.Quarters().Select(q => q.Key)], schedule.DataStart, schedule.Cutoff,
                schedule.Deadlines, schedule.LockDate, schedule.IsOpenOn(today), schedule.IsLockedOn(today));
        });
        return TypedResults.Ok(new PeriodList(definition.Code, wanted, today, [.. views]));
    }
}
