using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Storage;
using Qcdc.Functions.Http;

namespace Qcdc.Functions.Health;

public static class HealthApi
{
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
            detail: ProblemTexts.StorageUnavailableRead.Current,
            statusCode: StatusCodes.Status503ServiceUnavailable,
            extensions: new Dictionary<string, object?> { ["tables"] = body.Tables, ["blobs"] = body.Blobs });
    }
}
