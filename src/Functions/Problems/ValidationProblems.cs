using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Localization;

namespace Qcdc.Functions.Problems;

/// <summary>One bad field of a request: where it is, its code and Vietnamese label when it is an indicator, and why.</summary>
public sealed record FieldError(string Field, string Message, string? Code = null, string? Label = null);

/// <summary>Problem details that list every bad field at once, in the request's language.</summary>
public static class ValidationProblems
{
    private static readonly LocalizedText Invalid = new(
        "The request has {0} problem(s); nothing was written.",
        "Yêu cầu có {0} lỗi; chưa có dữ liệu nào được ghi.");

    public static ProblemHttpResult Unprocessable(IReadOnlyCollection<FieldError> errors) =>
        TypedResults.Problem(
            detail: Invalid.Format(errors.Count).Current,
            statusCode: StatusCodes.Status422UnprocessableEntity,
            extensions: new Dictionary<string, object?> { ["errors"] = errors.ToArray() });

    public static ProblemHttpResult BadRequest(LocalizedText detail, string? field = null) =>
        TypedResults.Problem(
            detail: detail.Current,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: field is null ? null : new Dictionary<string, object?> { ["errors"] = new[] { new FieldError(field, detail.Current) } });

    public static ProblemHttpResult NotFound(LocalizedText detail) =>
        TypedResults.Problem(detail: detail.Current, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Conflict(LocalizedText detail) =>
        TypedResults.Problem(detail: detail.Current, statusCode: StatusCodes.Status409Conflict);
}
