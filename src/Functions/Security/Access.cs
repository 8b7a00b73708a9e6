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
    /// Declares and enforces the route's rule. The unit comes from the <c>{unit}</c> route value (or the
    /// <c>under</c> query of a list); its subtree is the
    /// hierarchy at the end of the <c>{period}</c> route value (or today). A refusal never says whether the unit exists.
    /// </summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, AccessRule rule) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new AccessMetadata(rule));
        if (rule == AccessRule.Anonymous)
        {
            return builder;
        }
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var caller = http.Caller();
            if (caller.Actor is not { } actor)
            {
                return TypedResults.Problem(detail: (caller.KeyPresented ? BadKey : MissingKey).Current, statusCode: StatusCodes.Status401Unauthorized);
            }
            if (!await AllowsAsync(rule, actor, http))
            {
                return TypedResults.Problem(detail: Denied.Current, statusCode: StatusCodes.Status403Forbidden);
            }
            return await next(context);
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
