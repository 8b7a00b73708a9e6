using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Security;
using Qcdc.Storage;
using static Qcdc.Functions.Health.HealthApi;

namespace Qcdc.Functions.Health;

public sealed class HealthFunctions(StorageHealth storage, TimeProvider time)
{
    [Function("GetHealth")]
    [Access(AccessRule.Anonymous), Tags("Health"), EndpointSummary("Liveness and storage reachability")]
    [EndpointDescription("200 when tables and blobs answer; 503 with Retry-After when storage is unreachable.")]
    [ProducesProblem(503)]
    public Task<Results<Ok<HealthReport>, ProblemHttpResult>> GetHealth(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request) =>
        HealthApi.GetHealth(storage, time, request.HttpContext, request.HttpContext.RequestAborted);
}
