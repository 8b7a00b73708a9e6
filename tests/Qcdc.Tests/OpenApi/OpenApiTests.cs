using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Functions.Hosting;
using Qcdc.Tests.Infrastructure;

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

        var functions = FunctionAppMetadata.From(app.Services.GetRequiredService<EndpointDataSource>(), []).HttpFunctions
            .Where(f => f.Name != "GetOpenApiDocument");
        foreach (var function in functions)
        {
            Assert.True(paths.TryGetProperty("/api/" + function.Route, out var path), $"{function.Name} /api/{function.Route} is not described");
            foreach (var method in function.Methods)
            {
                var operation = path.GetProperty(method);
                Assert.Equal(function.Name, operation.GetProperty("operationId").GetString());
                Assert.True(operation.GetProperty("responses").EnumerateObject().Any(), $"{function.Name} has no responses");
            }
        }
        var health = paths.GetProperty("/api/health").GetProperty("get").GetProperty("responses");
        Assert.True(health.TryGetProperty("200", out var ok) && ok.GetProperty("content").TryGetProperty("application/json", out _));
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
