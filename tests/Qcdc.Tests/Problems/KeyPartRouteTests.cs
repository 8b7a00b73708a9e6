using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;

namespace Qcdc.Tests.Problems;

/// <summary>
/// One rule for every code, on every route: each code in every operation's route (and the code-carrying query
/// parameters) is replaced by malformed values, and every answer is a 400 naming that parameter, with nothing
/// written, whatever the caller's key.
/// </summary>
public sealed partial class KeyPartRouteTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> Valid = new()
    {
        ["form"] = "QCDC-Q",
        ["period"] = "2024Q3",
        ["unit"] = "LC-TDG-01",
        ["code"] = "LC-TDG-01",
    };

    /// <summary>Malformed for every kind of code: a final line feed, small letters, control and bidi characters, too long, a space.</summary>
    private static readonly string[] Malformed = ["LC-TDG-01\n", "2024Q3\n", "lc", "A\u0001B", "LC\u202E", new string('A', 41), "A B", "QCDC-Q\r\n", "2024q3", "\uFEFFLC"];

    [Fact]
    public async Task EveryMalformedCodeInEveryRouteIsA400NamingItsParameterAndWritesNothing()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        var endpoints = app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .ToList();
        var before = await StorageSnapshot.TakeAsync(app.Factory, Ct);
        var failures = new List<string>();
        var checkedRoutes = 0;

        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText!.TrimStart('/');
            var parameters = RouteValue().Matches(pattern).Select(m => m.Groups[1].Value).ToList();
            foreach (var parameter in parameters.Where(p => Valid.ContainsKey(p) || p == "id"))
            {
                checkedRoutes++;
                foreach (var bad in Malformed)
                {
                    var url = "/" + RouteValue().Replace(pattern, m => m.Groups[1].Value == parameter
                        ? Uri.EscapeDataString(bad)
                        : Valid.GetValueOrDefault(m.Groups[1].Value, pattern.Contains("/keys/", StringComparison.Ordinal) ? "abcdefghijkl" : "0123456789abcdef0123456789abcdef"));
                    foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
                    {
                        foreach (var client in new[] { app.Admin, reporter })
                        {
                            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url)
                            {
                                Content = method is "POST" or "PUT" ? HttpJson.Body("{}") : null,
                            }, Ct);
                            var field = response.StatusCode == HttpStatusCode.BadRequest && method != "HEAD"
                                ? (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString()
                                : null;
                            if (response.StatusCode != HttpStatusCode.BadRequest || (method != "HEAD" && field != parameter))
                            {
                                failures.Add($"{method} {pattern} with {parameter}={Literal(bad)}: {(int)response.StatusCode} {field}");
                            }
                        }
                    }
                }
            }
        }

        Assert.True(checkedRoutes >= 15, $"only {checkedRoutes} route parameters checked");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        Assert.Equal(before, await StorageSnapshot.TakeAsync(app.Factory, Ct));
    }

    [Theory]
    [InlineData("/api/units?parent=LC%0A", "parent")]
    [InlineData("/api/units?parent=lc", "parent")]
    [InlineData("/api/submissions/QCDC-Q/2024Q3?under=LC-TDG%0A", "under")]
    [InlineData("/api/manage/keys?unit=LC%E2%80%AE", "unit")]
    [InlineData("/api/manage/keys?unit=LC%00", "unit")]
    [InlineData("/api/forms/QCDC-Q?period=2024Q3%0A", "period")]
    public async Task AMalformedCodeInTheQueryIsA400NamingIt(string url, string parameter)
    {
        await using var app = new ReportingApp(azurite);
        var response = await app.Admin.GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("/api/manage/keys", """{"unit":"LC-TDG-01\n","role":"reporter"}""", "unit")]
    [InlineData("/api/manage/rollups/run", """{"form":"QCDC-Q\n","period":"2024Q3"}""", "form")]
    [InlineData("/api/manage/rollups/run", """{"form":"QCDC-Q","period":"2024Q3\n"}""", "period")]
    [InlineData("/api/manage/units", """{"units":[{"code":"LC-NEW\n","name":"Xã","kind":"commune","parent":"LC","validFrom":"2020-01-01"}]}""", "units[LC-NEW\n].code")]
    public async Task AMalformedCodeInABodyIsRefusedNamingItAndWritesNothing(string url, string body, string field)
    {
        await using var app = new ReportingApp(azurite);
        var before = await StorageSnapshot.TakeAsync(app.Factory, Ct);

        var response = await app.Admin.PostAsync(url, HttpJson.Body(body), Ct);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"{response.StatusCode}");
        Assert.Equal(field, (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(before, await StorageSnapshot.TakeAsync(app.Factory, Ct));
    }

    private static string Literal(string text) => string.Concat(text.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));

    [GeneratedRegex(@"\{([a-zA-Z]+)[^}]*\}")]
    private static partial Regex RouteValue();
}
