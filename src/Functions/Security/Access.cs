using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Security;
using Qcdc.Units;
using Qcdc.Functions.Hosting;

namespace Qcdc.Functions.Security;

/// <summary>The unit-subtree rule of one access rule, an authorization requirement evaluated against the request.</summary>
public sealed record UnitAccessRequirement(AccessRule Rule) : IAuthorizationRequirement;

/// <summary>Changes made by a signed-in browser must carry the session's anti-forgery token.</summary>
public sealed record AntiforgeryRequirement : IAuthorizationRequirement;

public static class AccessExtensions
{
    /// <summary>
    /// Declares the route's rule as an authorization policy (enforced by the authorization middleware before the
    /// request is read or bound, so that a caller without the right learns nothing from validation answers).
    /// The unit comes from the <c>{unit}</c> route value (or the <c>under</c> query of a list); its subtree is the
    /// hierarchy at the end of the <c>{period}</c> route value (or today).
    /// </summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, AccessRule rule) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new AccessMetadata(rule));
        return rule == AccessRule.Anonymous ? builder.AllowAnonymous() : builder.RequireAuthorization(rule.ToString());
    }

    public static IServiceCollection AddQcdcAuthorization(this IServiceCollection services)
    {
        var authorization = services.AddAuthorizationBuilder();
        foreach (var rule in Enum.GetValues<AccessRule>().Where(r => r != AccessRule.Anonymous))
        {
            authorization.AddPolicy(rule.ToString(), policy => policy
                .AddAuthenticationSchemes(Authentication.Scheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new AntiforgeryRequirement(), new UnitAccessRequirement(rule)));
        }
        services.AddSingleton<IAuthorizationHandler, UnitAccessHandler>();
        services.AddSingleton<IAuthorizationHandler, AntiforgeryHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessResultHandler>();
        return services;
    }
}

/// <summary>A reason the caller may not, carrying the sentence the 403 says.</summary>
public sealed class AccessFailure(IAuthorizationHandler handler, LocalizedText text) : AuthorizationFailureReason(handler, text.En)
{
    public LocalizedText Text { get; } = text;
}

internal sealed class AntiforgeryHandler : AuthorizationHandler<AntiforgeryRequirement, HttpContext>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AntiforgeryRequirement requirement, HttpContext http)
    {
        var safe = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method);
        if (safe || !context.User.ViaSession()
            || (context.User.CsrfToken() is { } expected && Authentication.Matches(http.Request.Headers[Authentication.CsrfHeader].ToString(), expected)))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AccessFailure(this, SecurityTexts.AntiforgeryMissing));
        }
        return Task.CompletedTask;
    }
}

internal sealed class UnitAccessHandler(UnitStore units, PeriodCatalog periods, TimeProvider time) : AuthorizationHandler<UnitAccessRequirement, HttpContext>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, UnitAccessRequirement requirement, HttpContext http)
    {
        if (context.User.ToActor() is not { } actor)
        {
            return;
        }
        if (actor.IsAdmin || requirement.Rule == AccessRule.Authenticated)
        {
            context.Succeed(requirement);
            return;
        }
        var roleAllowed = requirement.Rule switch
        {
            AccessRule.ReadUnit => actor.Role is Roles.Reporter or Roles.Reviewer,
            AccessRule.WriteUnit => actor.Role == Roles.Reporter,
            AccessRule.ReviewUnit => actor.Role == Roles.Reviewer,
            AccessRule.Reviewer => actor.Role == Roles.Reviewer,
            AccessRule.Admin => false,
            AccessRule.Authenticated => true,
            AccessRule.Anonymous => true,
        };
        if (!roleAllowed || actor.Unit is null)
        {
            context.Fail(new AccessFailure(this, SecurityTexts.RoleNotAllowed.Format(SecurityTexts.Role(actor.Role))));
            return;
        }
        if (requirement.Rule == AccessRule.Reviewer)
        {
            context.Succeed(requirement);
            return;
        }
        var unit = http.GetRouteValue("unit") as string ?? http.Request.Query["under"].FirstOrDefault() ?? actor.Unit;
        var hierarchy = await units.GetHierarchyAsync(http.RequestAborted);
        if (hierarchy.Find(unit) is null)
        {
            context.Fail(new AccessFailure(this, SecurityTexts.UnknownUnit));
            return;
        }
        // Across the reform: a period is seen through the hierarchy of each of its quarters, so the province's key
        // reads a district abolished in the middle of the year or of a five-year window; without a period, today's.
        var allowed = actor.Role == Roles.Reporter
            ? string.Equals(actor.Unit, unit, StringComparison.Ordinal)
            : http.GetRouteValue("period") is string key && periods.TryResolve(key, out var period)
                ? hierarchy.IsInSubtreeDuring(unit, actor.Unit, period)
                : hierarchy.IsInSubtree(unit, actor.Unit, VietnamTime.Today(time));
        if (allowed)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AccessFailure(this, SecurityTexts.NotInSubtree));
        }
    }
}

/// <summary>401 through the caller's scheme (a problem detail with WWW-Authenticate), 403 as a problem saying why.</summary>
internal sealed class AccessResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            await context.ChallengeAsync(Authentication.Scheme);
            return;
        }
        if (authorizeResult.Forbidden)
        {
            if (context.User.ToActor() is null)
            {
                await context.ChallengeAsync(Authentication.Scheme);
                return;
            }
            var reason = authorizeResult.AuthorizationFailure?.FailureReasons.OfType<AccessFailure>().FirstOrDefault()?.Text
                ?? SecurityTexts.RoleNotAllowed.Format(SecurityTexts.Role(context.User.ToActor()!.Role));
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = StatusCodes.Status403Forbidden, Detail = reason.Current },
            });
            return;
        }
        await next(context);
    }
}
