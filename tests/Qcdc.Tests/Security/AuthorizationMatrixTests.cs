using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Functions.Security;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using Qcdc.Functions.Hosting;

namespace Qcdc.Tests.Security;

/// <summary>
/// Generated from the endpoint table: every endpoint under /api × role × relation to the unit it names is allowed
/// or denied exactly as its declared rule says. An endpoint without a rule fails here.
/// </summary>
public sealed partial class AuthorizationMatrixTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The target is Huyện Tam Đường in 2024Q3; each relation names the unit the key is bound to.
    private const string Target = "LC-TDG";

    private static readonly Dictionary<string, string> Relations = new()
    {
        ["own unit"] = "LC-TDG",
        ["child"] = "LC-TDG-01",
        ["sibling"] = "LC-TUY",
        ["parent"] = "LC",
        ["unrelated province"] = "XP",
    };

    private static readonly string[] RolesToTry = ["reporter", "reviewer", "admin"];

    /// <summary>The truth table, written independently of the code that enforces it.</summary>
    private static bool Expected(AccessRule rule, string role, string relation) => rule switch
    {
        AccessRule.Anonymous => true,
        AccessRule.Authenticated => true,
        _ when role == "admin" => true,
        AccessRule.ReadUnit => (role == "reporter" && relation == "own unit") || (role == "reviewer" && relation is "own unit" or "parent"),
        AccessRule.WriteUnit => role == "reporter" && relation == "own unit",
        AccessRule.ReviewUnit => role == "reviewer" && relation is "own unit" or "parent",
        AccessRule.Reviewer => role == "reviewer",
        _ => false,
    };

    [Fact]
    public async Task EveryEndpointAllowsAndDeniesExactlyAsItsRuleSays()
    {
        await using var app = new ReportingApp(azurite);
        await app.Admin.PostAsync("/api/manage/units", HttpJson.Body("""{"units":[{"code":"XP","name":"Tỉnh khác","kind":"province","validFrom":"2008-01-01"}]}"""), Ct);
        var keys = new Dictionary<(string Role, string Relation), HttpClient>();
        foreach (var role in RolesToTry)
        {
            foreach (var (relation, unit) in Relations)
            {
                keys[(role, relation)] = await app.ClientAsync(unit, role);
            }
        }
        var anonymous = app.Factory.CreateClient();

        var endpoints = app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .ToList();
        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName;
            if (endpoint.Metadata.GetMetadata<AccessMetadata>() is not { } access)
            {
                failures.Add($"{name} declares no access rule");
                continue;
            }
            var url = Url(endpoint.RoutePattern.RawText!);
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
            {
                var noKey = await anonymous.SendAsync(Request(method, url), Ct);
                if (access.Rule != AccessRule.Anonymous && noKey.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{name} {method} without a key: {(int)noKey.StatusCode}");
                }
                foreach (var ((role, relation), client) in keys)
                {
                    var status = (await client.SendAsync(Request(method, url), Ct)).StatusCode;
                    var allowed = status is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized);
                    if (allowed != Expected(access.Rule, role, relation))
                    {
                        failures.Add($"{name} {method} {role} of {relation}: {(int)status}, expected {(Expected(access.Rule, role, relation) ? "allowed" : "denied")}");
                    }
                }
            }
        }

        Assert.True(endpoints.Count >= 15, $"only {endpoints.Count} endpoints found");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Url(string pattern)
    {
        var url = "/" + RouteValue().Replace(pattern.TrimStart('/'), m => m.Groups[1].Value switch
        {
            "form" => "QCDC-Q",
            "period" => "2024Q3",
            "unit" or "code" => Target,
            "id" when pattern.Contains("/keys/", StringComparison.Ordinal) => "abcdefghijkl",
            "id" => "0123456789abcdef0123456789abcdef",
            _ => "x",
        });
        return url.Contains("/api/submissions/QCDC-Q/2024Q3", StringComparison.Ordinal) && !url.Contains(Target, StringComparison.Ordinal)
            ? url + "?under=" + Target
            : url;
    }

    private static HttpRequestMessage Request(string method, string url) => new(new HttpMethod(method), url)
    {
        Content = method is "POST" or "PUT" ? HttpJson.Body("{}") : null,
    };

    [GeneratedRegex(@"\{([a-zA-Z]+)[^}]*\}")]
    private static partial Regex RouteValue();
}
