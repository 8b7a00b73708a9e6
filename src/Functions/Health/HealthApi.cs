using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Storage;

namespace Qcdc.Functions.Health;

public static class HealthApi
{
    public static RouteGroupBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/health").WithTags("Health");

        group.MapGet("", GetHealth)
            .WithName("GetHealth")
            .RequireAccess(AccessRule.Anonymous)
            .WithSummary("Liveness and storage reachability")
            .WithDescription("200 when tables and blobs answer; 503 with Retry-After when storage is unreachable.")
            .ProducesProblem(503);

        return group;
    }

    public sealed record HealthReport(string Status, string Tables, string Blobs, DateTimeOffset CheckedAt);

    internal static async Task<Results<Ok<HealthReport>, ProblemHttpResult>> GetHealth(
        StorageHealth storage, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        var report = await storage.CheckAsync(cancellationToken);
        var body = new HealthReport(
            report.Healthy ? "ok" : "unavailable",
            report.TablesReachable ? "reachable" : "unreachable",
            report.BlobsReachable ? "reachable" : "unreachable",
            time.GetUtcNow());
        if (report.Healthy)
        {
            return TypedResults.Ok(body);
        }
        context.Response.Headers.RetryAfter = StorageUnavailableExceptionHandler.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            detail: ProblemTexts.StorageUnavailable.Current,
            statusCode: StatusCodes.Status503ServiceUnavailable,
            extensions: new Dictionary<string, object?> { ["tables"] = body.Tables, ["blobs"] = body.Blobs });
    }
}
