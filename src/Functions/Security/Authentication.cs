using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Qcdc.Localization;
using Qcdc.Security;

namespace Qcdc.Functions.Security;

/// <summary>
/// Who calls, as ASP.NET Core authentication: an API key (<c>Authorization: ApiKey …</c>) or a browser's session
/// cookie, both turned into the same principal so that one set of authorization policies serves both.
/// </summary>
public static class Authentication
{
    public const string ApiKeyScheme = "ApiKey";
    public const string SessionScheme = "Session";
    public const string Scheme = "Qcdc";
    public const string SessionCookie = "qcdc_session";
    public const string CsrfHeader = "X-CSRF-Token";
    public const string BootstrapKeySetting = "QCDC_BOOTSTRAP_ADMIN_KEY";

    internal const string KeyIdClaim = "qcdc:key";
    internal const string UnitClaim = "qcdc:unit";
    internal const string LabelClaim = "qcdc:label";
    internal const string NameClaim = "qcdc:name";
    internal const string CsrfClaim = "qcdc:csrf";

    public static IServiceCollection AddQcdcAuthentication(this IServiceCollection services)
    {
        // The core services and the schemes, not AddAuthentication(): neither scheme (API keys, the app's own sessions in
        // a table) uses data protection, which AddAuthentication registers together with a hosted service that reads
        // and decrypts a key ring at every start (~10 ms of a cold start, ADR-009).
        services.AddAuthenticationCore(options => options.DefaultScheme = Scheme);
        services.AddWebEncoders();
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyScheme, null)
            .AddScheme<AuthenticationSchemeOptions, SessionHandler>(SessionScheme, null)
            .AddPolicyScheme(Scheme, null, options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count == 0 && context.Request.Cookies.ContainsKey(SessionCookie) ? SessionScheme : ApiKeyScheme);
        return services;
    }

    /// <summary>The authenticated caller. Only for endpoints whose access rule requires one.</summary>
    public static Actor Caller(this HttpContext context) =>
        context.User.ToActor() ?? throw new InvalidOperationException("The endpoint requires an authenticated caller.");

    public static Actor? ToActor(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(KeyIdClaim) is { } id
            ? new Actor(id, user.FindFirstValue(ClaimTypes.Role) ?? "", user.FindFirstValue(UnitClaim), user.FindFirstValue(LabelClaim), user.FindFirstValue(NameClaim))
            : null;

    /// <summary>True when the caller came with a session cookie (a browser), not with an API key.</summary>
    public static bool ViaSession(this ClaimsPrincipal user) => user.Identity?.AuthenticationType == SessionScheme;

    public static string? CsrfToken(this ClaimsPrincipal user) => user.FindFirstValue(CsrfClaim);

    internal static ClaimsPrincipal Principal(Actor actor, string scheme, string? csrf = null)
    {
        var claims = new List<Claim> { new(KeyIdClaim, actor.KeyId), new(ClaimTypes.Role, actor.Role) };
        if (actor.Unit is not null)
        {
            claims.Add(new(UnitClaim, actor.Unit));
        }
        if (actor.Label is not null)
        {
            claims.Add(new(LabelClaim, actor.Label));
        }
        if (actor.Name is not null)
        {
            claims.Add(new(NameClaim, actor.Name));
        }
        if (csrf is not null)
        {
            claims.Add(new(CsrfClaim, csrf));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The bootstrap admin of configuration, when <paramref name="key"/> is its key (or its id, for sessions).</summary>
    internal static Actor? Bootstrap(IConfiguration configuration, string key, bool byId = false)
    {
        var bootstrap = configuration[BootstrapKeySetting];
        if (string.IsNullOrEmpty(bootstrap))
        {
            return null;
        }
        var matches = byId ? key == Actor.BootstrapId : Matches(key, bootstrap);
        return matches ? new Actor(Actor.BootstrapId, Roles.Admin, null, "Bootstrap administrator") : null;
    }

    /// <summary>Compares hashes so that the time taken says nothing about the key.</summary>
    internal static bool Matches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>401 as a problem detail, naming the scheme clients should use.</summary>
    internal static async Task ChallengeAsync(HttpContext context, LocalizedText detail)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = $"{ApiKeyScheme} realm=\"qcdc\"";
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Detail = detail.Current },
        });
    }
}

/// <summary><c>Authorization: ApiKey &lt;key&gt;</c>: the bootstrap admin key of configuration or a stored key.</summary>
internal sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys, IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        var prefix = Authentication.ApiKeyScheme + " ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || header.Length == prefix.Length)
        {
            return AuthenticateResult.Fail("not an API key");
        }
        var presented = header[prefix.Length..].Trim();
        var actor = Authentication.Bootstrap(configuration, presented) ?? await keys.AuthenticateAsync(presented, Context.RequestAborted);
        return actor is null
            ? AuthenticateResult.Fail("unknown, revoked or expired key")
            : AuthenticateResult.Success(new AuthenticationTicket(Authentication.Principal(actor, Scheme.Name), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await Authentication.ChallengeAsync(Context, result.Failure is null ? SecurityTexts.MissingKey : SecurityTexts.BadKey);
    }
}

/// <summary>The session cookie of a signed-in browser.</summary>
internal sealed class SessionHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, SessionStore sessions, IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(Authentication.SessionCookie, out var token) || string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }
        var session = await sessions.FindAsync(token, id => Authentication.Bootstrap(configuration, id, byId: true), Context.RequestAborted);
        return session is null
            ? AuthenticateResult.Fail("session ended")
            : AuthenticateResult.Success(new AuthenticationTicket(Authentication.Principal(session.Actor, Scheme.Name, session.CsrfToken), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Authentication.ChallengeAsync(Context, SecurityTexts.SessionEnded);
}
