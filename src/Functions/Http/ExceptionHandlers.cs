using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Qcdc.Functions.Http;
using Qcdc.Localization;
using Qcdc.Storage;
using Qcdc.Functions.Problems;

namespace Qcdc.Functions.Http;

/// <summary>
/// Storage unreachable, failing or too slow for the request's budget: 503 with Retry-After and a problem saying
/// nothing was lost, never a hang and never a 500.
/// </summary>
internal sealed partial class StorageUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<StorageUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    public const int RetryAfterSeconds = 10;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.ClientGone())
        {
            return false; // nobody waits for an answer
        }
        var budgetSpent = exception is OperationCanceledException && httpContext.BudgetExhausted();
        if (!budgetSpent && !StorageFailures.IsUnavailable(exception))
        {
            return false;
        }
        LogUnavailable(httpContext.Request.Method, httpContext.Request.Path, budgetSpent ? "the request's time budget ran out" : Describe(exception));
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = 503, Detail = DetailFor(httpContext.Request).Current },
        });
    }

    /// <summary>
    /// What the caller can count on: a read changed nothing; a report's write is either not made or kept, and its
    /// Idempotency-Key answers a retry; any other write may or may not have been carried out.
    /// </summary>
    private static LocalizedText DetailFor(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) ? ProblemTexts.StorageUnavailableRead
        : request.Path.StartsWithSegments("/api/submissions", StringComparison.Ordinal) ? ProblemTexts.StorageUnavailable
        : ProblemTexts.StorageUnavailableWrite;

    /// <summary>The failure in one line (its kind and status), without a stack trace or anything of the request.</summary>
    private static string Describe(Exception exception) => exception switch
    {
        Azure.RequestFailedException failed => $"storage answered {failed.Status} {failed.ErrorCode}".TrimEnd(),
        AggregateException aggregate => $"{aggregate.InnerExceptions.Count} tries failed: {Describe(aggregate.InnerExceptions[^1])}",
        _ => exception.GetType().Name,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable while serving {Method} {Path}: {Reason}")]
    private partial void LogUnavailable(string method, string path, string reason);
}

/// <summary>Unreadable bodies: malformed JSON is 400, a body over the limit is 413.</summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The parser's own words name the app's types: only the place is passed on.
        var (status, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: 413 } => (413, CommonTexts.BodyOverLimit.Format(RequestLimits.BodyLimitOf(httpContext)).Current),
            // Only the request's own body is the caller's fault: a JsonException from anywhere else (a stored row that
            // cannot be read) is a server fault, answered 500 with its trace id by the handler after this one.
            BadHttpRequestException { InnerException: JsonException json } => (400, Shape(json)),
            BadHttpRequestException bad => (bad.StatusCode, ProblemTexts.BadRequest.Current),
            _ => (0, null),
        };
        if (status == 0)
        {
            return false;
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }

    private static string Shape(JsonException json) => json.Path is { Length: > 0 } path
        ? ProblemTexts.WrongShape.Format(path).Current
        : ProblemTexts.MalformedJson.Format((json.LineNumber ?? 0) + 1, (json.BytePositionInLine ?? 0) + 1).Current;
}

/// <summary>A bug: logged with its stack trace, answered 500 with a trace id and nothing of the internals.</summary>
internal sealed partial class UnexpectedExceptionHandler(IProblemDetailsService problems, ILogger<UnexpectedExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is listening for an answer.
            return true;
        }
        LogUnexpected(exception, httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = 500, Detail = ProblemTexts.Unexpected.Current },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception while serving {Method} {Path}")]
    private partial void LogUnexpected(Exception exception, string method, string path);
}
