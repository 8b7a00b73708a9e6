using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Qcdc.Functions.Hosting;
using Qcdc.Security;
using Qcdc.Units;
using static Qcdc.Functions.Keys.SessionApi;

namespace Qcdc.Functions.Keys;

public sealed class SessionFunctions(
    ApiKeyStore keys, SessionStore sessions, UnitStore units, IConfiguration configuration, IOptions<BrowserSessionOptions> options)
{
    private const string Route = "api/session";

    [Function("SignIn")]
    [Access(AccessRule.Anonymous), Tags("Session"), BodyLimit(4 * 1024), AcceptsJson(typeof(SignInRequest))]
    [EndpointSummary("Exchange an API key for a session cookie; answers who you are and the anti-forgery token")]
    [ProducesProblem(401)]
    public Task<Results<Ok<Identity>, ProblemHttpResult>> SignIn([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route)] HttpRequest request) =>
        SessionApi.SignIn(request.HttpContext, keys, sessions, units, configuration, options, request.HttpContext.RequestAborted);

    [Function("WhoAmI")]
    [Access(AccessRule.Authenticated), Tags("Session"), EndpointSummary("Who the key or session acts for: unit, unit name, role, label")]
    public Task<Ok<Identity>> WhoAmI([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request) =>
        SessionApi.WhoAmI(request.HttpContext, units, request.HttpContext.RequestAborted);

    [Function("SignOut")]
    [Access(AccessRule.Authenticated), Tags("Session"), EndpointSummary("End the session and remove its cookie")]
    public Task<NoContent> SignOut([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Route)] HttpRequest request) =>
        SessionApi.SignOut(request.HttpContext, sessions, request.HttpContext.RequestAborted);
}
