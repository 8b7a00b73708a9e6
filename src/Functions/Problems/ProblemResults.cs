using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Localization;
using Qcdc.Problems;

namespace Qcdc.Functions.Problems;

/// <summary>
/// The one mapping from the domain's refusals to RFC 9457 problem details: each kind has one status, the message is
/// in the caller's language, and every field at fault is listed under <c>errors</c>.
/// </summary>
public static class ProblemResults
{
    public static int StatusOf(RefusalKind kind) => kind switch
    {
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.BadRequest => StatusCodes.Status400BadRequest,
        RefusalKind.Invalid => StatusCodes.Status422UnprocessableEntity,
        RefusalKind.WrongState => StatusCodes.Status409Conflict,
        RefusalKind.Locked => StatusCodes.Status409Conflict,
        RefusalKind.LimitReached => StatusCodes.Status409Conflict,
        RefusalKind.Concurrent => StatusCodes.Status409Conflict,
        RefusalKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        RefusalKind.PreconditionRequired => StatusCodes.Status428PreconditionRequired,
        RefusalKind.IdempotencyKeyReused => StatusCodes.Status422UnprocessableEntity,
        RefusalKind.Rejected => StatusCodes.Status422UnprocessableEntity,
        RefusalKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
    };

    public static ProblemHttpResult Of(Refusal refusal, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? []);
        if (refusal.Problems.Count > 0)
        {
            all["errors"] = refusal.Problems.ToArray();
        }
        return TypedResults.Problem(detail: refusal.Message.Current, statusCode: StatusOf(refusal.Kind), extensions: all);
    }

    public static ProblemHttpResult Of(RefusalKind kind, LocalizedText message) => Of(Refusal.Of(kind, message));

    /// <summary>A refusal about one field (a query parameter, a header, the body).</summary>
    public static ProblemHttpResult About(RefusalKind kind, string field, LocalizedText message) => Of(Refusal.About(kind, field, message));

    public static ProblemHttpResult Invalid(IReadOnlyList<FieldProblem> problems, LocalizedText message) =>
        Of(new Refusal(RefusalKind.Invalid, message, problems));

    public static ProblemHttpResult NotFound(LocalizedText message) => Of(RefusalKind.NotFound, message);

    /// <summary>415: the body is not of the one media type the route reads (routes that check it themselves, after access).</summary>
    public static ProblemHttpResult UnsupportedMediaType(LocalizedText message) =>
        TypedResults.Problem(detail: message.Current, statusCode: StatusCodes.Status415UnsupportedMediaType);
}
