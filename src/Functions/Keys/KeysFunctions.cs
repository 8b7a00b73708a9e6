using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Http;
using Qcdc.Security;
using Qcdc.Units;
using static Qcdc.Functions.Keys.KeysApi;

namespace Qcdc.Functions.Keys;

public sealed class KeysFunctions(ApiKeyStore keys, UnitStore units, TimeProvider time)
{
    [Function("IssueKey")]
    [Access(AccessRule.Admin), Tags("Administration"), BodyLimit(4 * 1024), AcceptsJson(typeof(IssueKeyRequest))]
    [EndpointSummary("Issue an API key for a unit and role, with a label and the holder's name; the key is shown once")]
    [ProducesProblem(422)]
    public Task<Results<Created<IssuedKey>, ProblemHttpResult>> IssueKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/manage/keys")] HttpRequest request) =>
        KeysApi.IssueKey(request.ReadJson<IssueKeyRequest>(), keys, units, time, request.HttpContext.RequestAborted);

    [Function("ListKeys")]
    [Access(AccessRule.Admin), Tags("Administration"), EndpointSummary("List keys (never their secrets), optionally of one unit")]
    [QueryParameter("unit", "Only the keys of this unit.")]
    public Task<Ok<KeyList>> ListKeys([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/manage/keys")] HttpRequest request) =>
        KeysApi.ListKeys(request.Query("unit"), keys, request.HttpContext.RequestAborted);

    [Function("RevokeKey")]
    [Access(AccessRule.Admin), Tags("Administration"), EndpointSummary("Revoke a key at once; its sessions end")]
    [ProducesProblem(404)]
    public Task<Results<NoContent, ProblemHttpResult>> RevokeKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/manage/keys/{id}")] HttpRequest request, string id) =>
        KeysApi.RevokeKey(id, keys, request.HttpContext.RequestAborted);
}
