using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Qcdc.Functions.Http;
using Qcdc.Functions.Problems;
using Qcdc.Problems;
using Qcdc.Security;
using Qcdc.Units;
using Qcdc.Functions.Security;

namespace Qcdc.Functions.Keys;

/// <summary>
/// Signing in from a browser: a key is exchanged once for a session cookie (HttpOnly, SameSite=Strict, Secure
/// outside loopback), so that the page never keeps the key. Changes made with the cookie carry the anti-forgery
/// token this answer gives.
/// </summary>
public static class SessionApi
{
    public sealed record SignInRequest(string Key);

    public sealed record Identity(
        string KeyId, string Role, string RoleName, string? Unit, string? UnitName, string? Label, string? Name, string Via,
        string? CsrfToken, DateTimeOffset? ExpiresAt);

    internal static async Task<Results<Ok<Identity>, ProblemHttpResult>> SignIn(
        HttpContext http, ApiKeyStore keys, SessionStore sessions, UnitStore units, IConfiguration configuration, IOptions<BrowserSessionOptions> options,
        CancellationToken cancellationToken)
    {
        var body = http.Body().Root;
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String
            || body.EnumerateObject().Count() != 1)
        {
            return ProblemResults.About(RefusalKind.BadRequest, "key", SecurityTexts.SignInShape);
        }
        var presented = key.GetString()!.Trim();
        var actor = Authentication.Bootstrap(configuration, presented) ?? await keys.AuthenticateAsync(presented, cancellationToken);
        if (actor is null)
        {
            http.Response.Headers.WWWAuthenticate = $"{Authentication.ApiKeyScheme} realm=\"qcdc\"";
            return TypedResults.Problem(detail: SecurityTexts.BadKey.Current, statusCode: StatusCodes.Status401Unauthorized);
        }
        var (token, session) = await sessions.OpenAsync(actor, cancellationToken);
        http.Response.Cookies.Append(Authentication.SessionCookie, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = options.Value.SecureCookie && !IsLoopback(http.Request),
            Path = "/",
            IsEssential = true,
        });
        return TypedResults.Ok(await DescribeAsync(actor, "session", session.CsrfToken, session.ExpiresAt, units, cancellationToken));
    }

    internal static async Task<Ok<Identity>> WhoAmI(HttpContext http, UnitStore units, CancellationToken cancellationToken)
    {
        var viaSession = http.User.ViaSession();
        return TypedResults.Ok(await DescribeAsync(http.Caller(), viaSession ? "session" : "api-key", viaSession ? http.User.CsrfToken() : null, null, units, cancellationToken));
    }

    internal static async Task<NoContent> SignOut(HttpContext http, SessionStore sessions, CancellationToken cancellationToken)
    {
        if (http.Request.Cookies.TryGetValue(Authentication.SessionCookie, out var token) && !string.IsNullOrEmpty(token))
        {
            await sessions.EndAsync(token, cancellationToken);
        }
        http.Response.Cookies.Delete(Authentication.SessionCookie, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict });
        return TypedResults.NoContent();
    }

    private static async Task<Identity> DescribeAsync(
        Actor actor, string via, string? csrf, DateTimeOffset? expiresAt, UnitStore units, CancellationToken cancellationToken)
    {
        var unitName = actor.Unit is null ? null : (await units.GetHierarchyAsync(cancellationToken)).Find(actor.Unit)?.Name;
        return new Identity(actor.KeyId, actor.Role, SecurityTexts.Role(actor.Role).Current, actor.Unit, unitName, actor.Label, actor.Name, via, csrf, expiresAt);
    }

    private static bool IsLoopback(HttpRequest request) =>
        request.Host.Host is "localhost" || (IPAddress.TryParse(request.Host.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
