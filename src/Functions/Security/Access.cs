using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Security;
using Qcdc.Units;

namespace Qcdc.Functions.Security;

/// <summary>What a route allows, declared once next to its mapping with <see cref="AccessExtensions.RequireAccess{TBuilder}"/>.</summary>
public enum AccessRule
{
    /// <summary>Anyone.</summary>
    Anonymous,
    /// <summary>Administrators only.</summary>
    Admin,
    /// <summary>The unit's reporter, a reviewer of the unit or an ancestor, an administrator.</summary>
    ReadUnit,
    /// <summary>The unit's own reporter, or an administrator.</summary>
    WriteUnit,
    /// <summary>A reviewer of the unit or an ancestor, or an administrator.</summary>
    ReviewUnit,
}

public sealed record AccessMetadata(AccessRule Rule);

public static class AccessExtensions
{
    private static readonly LocalizedText MissingKey = new(
        "Send an API key as 'Authorization: ApiKey <key>'.", "Hãy gửi khóa API dạng 'Authorization: ApiKey <khóa>'.");

    private static readonly LocalizedText BadKey = new(
        "The API key is not valid, has expired or was revoked.", "Khóa API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.");

    private static readonly LocalizedText Denied = new(
        "This key may not do this here.", "Khóa này không có quyền thực hiện thao tác này tại đây.");

    /// <summary>
    /// Declares the route's rule; <see cref="UseAccessRules"/> enforces it. The unit comes from the <c>{unit}</c>
    /// route value (or the <c>under</c> query of a list); its subtree is the hierarchy at the end of the
    /// <c>{period}</c> route value (or today). A refusal never says whether the unit or its data exist.
    /// </summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, AccessRule rule) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessMetadata(rule));

    /// <summary>
    /// Enforces each endpoint's rule before anything of the request is read or bound, so that a caller without the
    /// right learns nothing from validation answers. An endpoint under /api without a rule is refused to everyone.
    /// </summary>
    public static WebApplication UseAccessRules(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            var rule = endpoint?.Metadata.GetMetadata<AccessMetadata>()?.Rule;
            // Routing's own answers (404, 405) are not route endpoints and need no rule.
            if (endpoint is not RouteEndpoint || rule == AccessRule.Anonymous || (rule is null && !context.Request.Path.StartsWithSegments("/api")))
            {
                await next(context);
                return;
            }
            var caller = context.Caller();
            if (caller.Actor is not { } actor)
            {
                await RefuseAsync(context, StatusCodes.Status401Unauthorized, caller.KeyPresented ? BadKey : MissingKey);
                return;
            }
            if (rule is null || !await AllowsAsync(rule.Value, actor, context))
            {
                await RefuseAsync(context, StatusCodes.Status403Forbidden, Denied);
                return;
            }
            await next(context);
        });
        return app;
    }

    private static async Task RefuseAsync(HttpContext context, int status, LocalizedText detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail.Current },
        });
    }

    private static async Task<bool> AllowsAsync(AccessRule rule, Actor actor, HttpContext http)
    {
        if (actor.IsAdmin)
        {
            return true;
        }
        var unit = http.GetRouteValue("unit") as string ?? http.Request.Query["under"].FirstOrDefault();
        if (rule == AccessRule.Admin || actor.Unit is null || unit is null)
        {
            return false;
        }
        var date = http.GetRouteValue("period") is string key && http.RequestServices.GetRequiredService<PeriodCatalog>().TryResolve(key, out var period)
            ? period.End
            : VietnamTime.Today(http.RequestServices.GetRequiredService<TimeProvider>());
        var reviewsIt = actor.Role == Roles.Reviewer
            && (await http.RequestServices.GetRequiredService<UnitStore>().GetHierarchyAsync(http.RequestAborted)).IsInSubtree(unit, actor.Unit, date);
        var ownsIt = actor.Role == Roles.Reporter && string.Equals(actor.Unit, unit, StringComparison.Ordinal);
        return rule switch
        {
            AccessRule.ReadUnit => ownsIt || reviewsIt,
            AccessRule.WriteUnit => ownsIt,
            AccessRule.ReviewUnit => reviewsIt,
            _ => false,
        };
    }
}
