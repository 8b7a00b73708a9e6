using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Forms;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Problems;

namespace Qcdc.Functions.Forms;

public static class FormsApi
{
    public sealed record FormSummary(string Code, int Version, string Title, PeriodType PeriodType, IReadOnlyList<string> ApplicableKinds, IReadOnlyList<int> Versions);

    public sealed record FormList(IReadOnlyList<FormSummary> Forms);

    internal static async Task<Ok<FormList>> ListForms(FormStore store, CancellationToken cancellationToken)
    {
        var catalog = await store.GetCatalogAsync(cancellationToken);
        return TypedResults.Ok(new FormList([.. catalog.Current.Select(f =>
            new FormSummary(f.Code, f.Version, f.Title, f.PeriodType, f.ApplicableKinds, catalog.Versions(f.Code)))]));
    }

    internal static async Task<Results<Ok<FormDefinition>, ProblemHttpResult>> GetForm(
        string form, int? version, string? period, FormStore store, PeriodCatalog periods, CancellationToken cancellationToken)
    {
        var catalog = await store.GetCatalogAsync(cancellationToken);
        if (period is not null)
        {
            return !periods.TryResolve(period, out var resolved)
                ? ProblemResults.About(RefusalKind.BadRequest, "period", CommonTexts.BadPeriod.Format(period))
                : catalog.ForPeriod(form, resolved) is { } inForce ? TypedResults.Ok(inForce) : ProblemResults.NotFound(CommonTexts.UnknownForm.Format(form));
        }
        return catalog.Find(form, version) is { } definition
            ? TypedResults.Ok(definition)
            : ProblemResults.NotFound(version is null ? CommonTexts.UnknownForm.Format(form) : FormTexts.UnknownVersion.Format(form, version));
    }

    internal static async Task<Results<Created<FormDefinition>, Ok<FormDefinition>, ProblemHttpResult>> PublishForm(
        FormDefinition form, FormStore store, CancellationToken cancellationToken)
    {
        var problems = FormValidation.Validate(form);
        if (problems.Count > 0)
        {
            return ProblemResults.Invalid(problems, FormTexts.Invalid.Format(problems.Count));
        }
        if (!FormStore.FitsInStorage(form))
        {
            return ProblemResults.Of(RefusalKind.TooLarge, FormTexts.TooLarge);
        }
        var (outcome, published) = await store.PublishAsync(form, cancellationToken);
        return outcome switch
        {
            PublishOutcome.Published => TypedResults.Created($"/api/forms/{published.Code}?version={published.Version}", published),
            PublishOutcome.Unchanged => TypedResults.Ok(published),
            PublishOutcome.Conflict => ProblemResults.Of(RefusalKind.Concurrent, FormTexts.Concurrent.Format(form.Code)),
        };
    }

    private static readonly Qcdc.Localization.LocalizedText BoundsRefused = new("The bounds have {0} problem(s); nothing was written.", "Khoảng giá trị có {0} lỗi; chưa ghi gì.");

    private static readonly Qcdc.Localization.LocalizedText BadBounds = new(
        "{0}: bounds are set on a numeric cell of the form ({1}) for a known unit kind, with min ≤ max.",
        "{0}: khoảng giá trị đặt cho ô số liệu dạng số của biểu mẫu ({1}) và một loại đơn vị có thật, với min ≤ max.");

    internal static async Task<Results<Ok<Dictionary<string, Dictionary<string, ValueBounds>>>, ProblemHttpResult>> GetBounds(
        string form, FormStore store, CancellationToken cancellationToken)
    {
        var catalog = await store.GetCatalogAsync(cancellationToken);
        return catalog.Find(form) is null
            ? ProblemResults.NotFound(CommonTexts.UnknownForm.Format(form))
            : TypedResults.Ok(catalog.BoundsOf(form).ToDictionary(k => k.Key, k => k.Value));
    }

    internal static async Task<Results<Ok<Dictionary<string, Dictionary<string, ValueBounds>>>, ProblemHttpResult>> SetBounds(
        string form, Dictionary<string, Dictionary<string, ValueBounds>> bounds, FormStore store, CancellationToken cancellationToken)
    {
        var catalog = await store.GetCatalogAsync(cancellationToken);
        if (catalog.Find(form) is null)
        {
            return ProblemResults.NotFound(CommonTexts.UnknownForm.Format(form));
        }
        var cells = catalog.All(form).SelectMany(Qcdc.Submissions.ReportChecks.NumericCells).ToHashSet(StringComparer.Ordinal);
        var problems = (from kind in bounds
                        from cell in kind.Value
                        where !Qcdc.Units.UnitKinds.All.Contains(kind.Key) || !cells.Contains(cell.Key) || cell.Value is null
                            || (cell.Value.Min is { } min && cell.Value.Max is { } max && min > max)
                        select new FieldProblem($"{kind.Key}.{cell.Key}", BadBounds.Format($"{kind.Key}.{cell.Key}", form))).ToList();
        if (problems.Count > 0)
        {
            return ProblemResults.Invalid(problems, BoundsRefused.Format(problems.Count));
        }
        await store.SetBoundsAsync(form, bounds, cancellationToken);
        return TypedResults.Ok(bounds);
    }
}
