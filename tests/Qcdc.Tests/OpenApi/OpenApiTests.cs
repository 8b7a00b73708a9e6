using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Functions.Hosting;
using Qcdc.Tests.Infrastructure;
using Qcdc.Functions.Startup;

namespace Qcdc.Tests.OpenApi;

public sealed class OpenApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryApiEndpointWithItsResponses()
    {
        await using var app = new QcdcAppFactory(azurite) { Environment = "Production" };
        var response = await app.CreateClient().GetAsync("/api/openapi.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var paths = document.RootElement.GetProperty("paths");

        var functions = FunctionTable.Http.Where(f => f.Name is not ("GetOpenApiDocument" or "Pages"));
        foreach (var function in functions)
        {
            Assert.True(paths.TryGetProperty("/" + function.Route, out var path), $"{function.Name} /{function.Route} is not described");
            foreach (var method in function.Methods)
            {
                var operation = path.GetProperty(method.ToLowerInvariant());
                Assert.Equal(function.Name, operation.GetProperty("operationId").GetString());
                Assert.True(operation.GetProperty("responses").EnumerateObject().Any(), $"{function.Name} has no responses");
            }
        }
        var health = paths.GetProperty("/api/health").GetProperty("get").GetProperty("responses");
        Assert.True(health.TryGetProperty("200", out var ok) && ok.GetProperty("content").TryGetProperty("application/json", out _));
    }

    [Fact]
    public async Task SecuredOperationsNameBothSchemesAndWritesTheirHeadersAndEveryProblem()
    {
        await using var app = new QcdcAppFactory(azurite) { Environment = "Production" };
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/openapi.json", Ct));
        var root = document.RootElement;
        var put = root.GetProperty("paths").GetProperty("/api/submissions/{form}/{period}/{unit}").GetProperty("put");
        var health = root.GetProperty("paths").GetProperty("/api/health").GetProperty("get");

        Assert.Equal(["ApiKey", "Session"], root.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Select(s => s.Name).Order());
        Assert.Equal(2, put.GetProperty("security").GetArrayLength());
        Assert.Empty(health.GetProperty("security")[0].EnumerateObject()); // anyone
        var headers = put.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString());
        Assert.Contains("If-Match", headers);
        Assert.Contains("Idempotency-Key", headers);
        var statuses = put.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "200", "201", "400", "401", "403", "404", "409", "412", "413", "415", "422", "428", "429", "503" }, statuses);
        foreach (var problem in put.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
        {
            Assert.Equal("#/components/schemas/Problem", problem.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
        }
        Assert.True(put.GetProperty("responses").GetProperty("401").GetProperty("headers").TryGetProperty("WWW-Authenticate", out _));
        Assert.All(root.GetProperty("servers").EnumerateArray(), s => Assert.False(s.GetProperty("url").GetString()!.EndsWith('/')));
        var unitView = root.GetProperty("components").GetProperty("schemas").GetProperty("UnitView");
        Assert.DoesNotContain("parent", unitView.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.DoesNotContain("validTo", unitView.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task AReportsValuesAreDescribedAsNumbersRatiosCategoriesOrTexts()
    {
        await using var app = new QcdcAppFactory(azurite) { Environment = "Production" };
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/openapi.json", Ct));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        foreach (var name in new[] { "ReportBody", "ReportView" })
        {
            var values = schemas.GetProperty(name).GetProperty("properties").GetProperty("values");
            Assert.Equal("object", values.GetProperty("type").GetString());
            var kinds = values.GetProperty("additionalProperties").GetProperty("anyOf").EnumerateArray().ToList();
            Assert.Contains(kinds, k => k.GetProperty("type").ValueKind == JsonValueKind.String && k.GetProperty("type").GetString() == "number");
            Assert.Contains(kinds, k => k.GetProperty("type").ValueKind == JsonValueKind.String && k.GetProperty("type").GetString() == "string");
            Assert.Contains(kinds, k => k.TryGetProperty("required", out var required)
                && required.EnumerateArray().Select(r => r.GetString()).Order().SequenceEqual(["denominator", "numerator"]));
            Assert.Contains(kinds, k => k.TryGetProperty("additionalProperties", out var categories) && categories.ValueKind == JsonValueKind.Object);
        }
    }

    [Fact]
    public async Task RedoclysRecommendedRulesFindNoErrorInTheDocument()
    {
        await using var app = new QcdcAppFactory(azurite) { Environment = "Production" };
        var json = await app.CreateClient().GetStringAsync("/api/openapi.json", Ct);
        // Written where CI lints it again and a person can open it.
        var folder = Path.Combine(AzuriteFixture.RepositoryRoot, "TestResults");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "openapi.json");
        await File.WriteAllTextAsync(file, json, Ct);

        var start = new System.Diagnostics.ProcessStartInfo("node")
        {
            WorkingDirectory = AzuriteFixture.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "node_modules/@redocly/cli/bin/cli.js", "lint", file, "--extends=recommended", "--format=json" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var lint = System.Diagnostics.Process.Start(start)!;
        var output = lint.StandardOutput.ReadToEndAsync(Ct);
        var errors = lint.StandardError.ReadToEndAsync(Ct);
        await lint.WaitForExitAsync(Ct);

        using var report = JsonDocument.Parse(await output);
        var problems = report.RootElement.GetProperty("problems").EnumerateArray()
            .Where(p => p.GetProperty("severity").GetString() == "error")
            .Select(p => $"{p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} at {p.GetProperty("location")[0].GetProperty("pointer").GetString()}")
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems) + await errors);
        Assert.Equal(0, lint.ExitCode);
    }

    [Fact]
    public async Task TheInteractiveReferenceIsServedInDevelopment()
    {
        await using var app = new QcdcAppFactory(azurite) { Environment = "Development" };
        var client = app.CreateClient();
        var response = await client.GetAsync("/api/reference/", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var script = await client.GetAsync("/api/reference/scalar.js", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("api/openapi.json", html);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task TheInteractiveReferenceIsNotServedInProduction()
    {
        await using var app = new QcdcAppFactory(azurite) { Environment = "Production" };
        var response = await app.CreateClient().GetAsync("/api/reference", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
