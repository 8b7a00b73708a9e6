using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Forms;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Http;
using Qcdc.Functions.Security;
using Qcdc.Periods;
using static Qcdc.Functions.Forms.FormsApi;

namespace Qcdc.Functions.Forms;

public sealed class FormsFunctions(FormStore store, PeriodCatalog periods)
{
    [Function("ListForms")]
    [Access(AccessRule.Anonymous), Tags("Forms"), EndpointSummary("The current version of every form")]
    public Task<Ok<FormList>> ListForms([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/forms")] HttpRequest request) =>
        FormsApi.ListForms(store, request.HttpContext.RequestAborted);

    [Function("GetForm")]
    [Access(AccessRule.Anonymous), Tags("Forms")]
    [EndpointSummary("A form definition (current version, ?version=, or the version in force for ?period=) from which clients render the form")]
    [QueryParameter("version", "A version of the form.", Type = "integer"), QueryParameter("period", "A period: the version in force for it.")]
    [ProducesProblem(400, 404)]
    public Task<Results<Ok<FormDefinition>, ProblemHttpResult>> GetForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/forms/{form}")] HttpRequest request, string form) =>
        FormsApi.GetForm(form, request.QueryInt32("version"), request.Query("period"), store, periods, request.HttpContext.RequestAborted);

    [Function("PublishForm")]
    [Access(AccessRule.Admin), Tags("Administration"), BodyLimit(256 * 1024), AcceptsJson(typeof(FormDefinition))]
    [EndpointSummary("Publish a new version of a form; older versions never change")]
    [ProducesProblem(409, 413, 422)]
    public Task<Results<Created<FormDefinition>, Ok<FormDefinition>, ProblemHttpResult>> PublishForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/manage/forms")] HttpRequest request) =>
        FormsApi.PublishForm(request.ReadJson<FormDefinition>(), store, request.HttpContext.RequestAborted);

    [Function("GetValueBounds")]
    [Access(AccessRule.Admin), Tags("Administration"), EndpointSummary("The min–max bounds set on a form's cells per unit kind (a value outside is an outlier warning)")]
    [ProducesProblem(404)]
    public Task<Results<Ok<Dictionary<string, Dictionary<string, ValueBounds>>>, ProblemHttpResult>> GetValueBounds(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/manage/forms/{form}/bounds")] HttpRequest request, string form) =>
        FormsApi.GetBounds(form, store, request.HttpContext.RequestAborted);

    [Function("SetValueBounds")]
    [Access(AccessRule.Admin), Tags("Administration"), BodyLimit(64 * 1024), AcceptsJson(typeof(Dictionary<string, Dictionary<string, ValueBounds>>))]
    [EndpointSummary("Replace the min–max bounds of a form's cells, by unit kind then cell: {\"commune\": {\"docs_issued\": {\"min\": 0, \"max\": 40}}}")]
    [ProducesProblem(404, 413, 422)]
    public Task<Results<Ok<Dictionary<string, Dictionary<string, ValueBounds>>>, ProblemHttpResult>> SetValueBounds(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/manage/forms/{form}/bounds")] HttpRequest request, string form) =>
        FormsApi.SetBounds(form, request.ReadJson<Dictionary<string, Dictionary<string, ValueBounds>>>(), store, request.HttpContext.RequestAborted);
}
