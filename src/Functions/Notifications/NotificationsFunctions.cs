using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Http;
using Qcdc.Functions.Security;
using Qcdc.Jobs;
using Qcdc.Notifications;
using Qcdc.Units;
using static Qcdc.Functions.Notifications.NotificationsApi;

namespace Qcdc.Functions.Notifications;

/// <summary>Who gets a unit's notices, what the outbox holds, and running a timer job now (administrators).</summary>
public sealed class NotificationsFunctions(UnitStore units, NotificationStore store, IEnumerable<JobRegistration> jobs, JobRunner runner, TimeProvider time)
{
    private const string Contacts = "api/manage/units/{code}/contacts";

    [Function("PutUnitContacts")]
    [Access(AccessRule.Admin), Tags("Administration"), BodyLimit(16 * 1024), AcceptsJson(typeof(ContactsBody))]
    [EndpointSummary("Set who receives the unit's notices: {\"emails\": [\"…\"], \"webhookUrl\": \"…\"} (webhook optional)")]
    [ProducesProblem(404, 422)]
    public Task<Results<Ok<ContactsView>, ProblemHttpResult>> PutUnitContacts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Contacts)] HttpRequest request, string code) =>
        NotificationsApi.PutContacts(code, request.HttpContext, units, store, request.HttpContext.RequestAborted);

    [Function("GetUnitContacts")]
    [Access(AccessRule.Admin), Tags("Administration"), EndpointSummary("Who receives the unit's notices")]
    [ProducesProblem(404)]
    public Task<Results<Ok<ContactsView>, ProblemHttpResult>> GetUnitContacts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Contacts)] HttpRequest request, string code) =>
        NotificationsApi.GetContacts(code, store, request.HttpContext.RequestAborted);

    [Function("ListNotifications")]
    [Access(AccessRule.Admin), Tags("Administration"), EndpointSummary("The outbox: notices by status (pending, sent, failed), newest first")]
    [QueryParameter("status", "pending, sent or failed.")]
    [ProducesProblem(400)]
    public Task<Results<Ok<NoticeList>, ProblemHttpResult>> ListNotifications(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/manage/notifications")] HttpRequest request) =>
        NotificationsApi.ListNotifications(request.Query("status"), store, request.HttpContext.RequestAborted);

    [Function("RunJob")]
    [Access(AccessRule.Admin), Tags("Administration"), RequestBudget(120)]
    [EndpointSummary("Run a timer job now (DeadlineReminders, NotificationDispatch, NoticeDelivery, QuarterlyRollup, …)")]
    [ProducesProblem(404)]
    public Task<Results<Ok<JobRunView>, ProblemHttpResult>> RunJob(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/manage/jobs/{name}/run")] HttpRequest request, string name) =>
        NotificationsApi.RunJob(name, jobs, runner, time, request.HttpContext.RequestAborted);
}
