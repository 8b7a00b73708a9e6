using Microsoft.AspNetCore.Routing.Patterns;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Problems;
using Qcdc.Problems;

namespace Qcdc.Functions.Http;

/// <summary>
/// Every code in a route or a query string is checked with <see cref="KeyParts"/> before any handler or storage call,
/// the same way for every operation and in both hosting modes: a malformed code is a 400 naming the parameter (a
/// well-formed code of nothing that exists is the handler's 404).
/// </summary>
public static class KeyPartChecks
{
    /// <summary>Query parameters that carry codes, where the operation reads them.</summary>
    private static readonly Dictionary<string, KeyPart> QueryParts = new(StringComparer.Ordinal)
    {
        ["unit"] = KeyPart.Unit,
        ["parent"] = KeyPart.Unit,
        ["under"] = KeyPart.Unit,
        ["period"] = KeyPart.Period,
        ["form"] = KeyPart.Form,
    };

    public static bool IsCheckedRouteValue(string name) => name is "form" or "period" or "unit" or "code" or "id";

    public static bool IsCheckedQuery(string name) => QueryParts.ContainsKey(name);

    public static IApplicationBuilder UseKeyPartChecks(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (FirstProblem(http) is { } problem)
        {
            await ProblemResults.Of(new Refusal(RefusalKind.BadRequest, problem.Message, [problem])).ExecuteAsync(http);
            return;
        }
        await next(http);
    });

    private static FieldProblem? FirstProblem(HttpContext http)
    {
        if (http.GetEndpoint() is RouteEndpoint { RoutePattern: var pattern })
        {
            foreach (var parameter in pattern.Parameters)
            {
                if (PartOf(parameter, pattern) is { } part
                    && KeyParts.Check(parameter.Name, part, http.Request.RouteValues[parameter.Name] as string) is { } problem)
                {
                    return problem;
                }
            }
        }
        var declared = http.GetEndpoint()?.Metadata.GetOrderedMetadata<QueryParameterMetadata>() ?? [];
        foreach (var (name, values) in http.Request.Query)
        {
            if (QueryParts.TryGetValue(name, out var part) && declared.Any(q => q.Name == name))
            {
                foreach (var value in values)
                {
                    if (!string.IsNullOrEmpty(value) && KeyParts.Check(name, part, value) is { } problem)
                    {
                        return problem;
                    }
                }
            }
        }
        return null;
    }

    private static KeyPart? PartOf(RoutePatternParameterPart parameter, RoutePattern pattern) => parameter.Name switch
    {
        "form" => KeyPart.Form,
        "period" => KeyPart.Period,
        "unit" or "code" => KeyPart.Unit,
        "id" when pattern.RawText?.Contains("/attachments/", StringComparison.Ordinal) == true => KeyPart.AttachmentId,
        "id" when pattern.RawText?.Contains("/keys/", StringComparison.Ordinal) == true => KeyPart.KeyId,
        _ => null,
    };
}
