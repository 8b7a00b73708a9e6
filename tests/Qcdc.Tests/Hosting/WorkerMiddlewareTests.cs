using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Qcdc.Functions.Hosting;
using Qcdc.Tests.Infrastructure;
using Qcdc.Functions.Startup;

namespace Qcdc.Tests.Hosting;

/// <summary>
/// The worker middleware that runs the app's pipeline around each HTTP invocation, with a mocked FunctionContext (the
/// seam the worker alone creates): a refusal is answered there and the function never runs; a timer passes through.
/// </summary>
public sealed class WorkerMiddlewareTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Mock<FunctionContext> Invocation(string function, HttpContext? http, IReadOnlyDictionary<string, object?>? routeValues = null)
    {
        var binding = new Mock<BindingContext>();
        binding.SetupGet(b => b.BindingData).Returns(routeValues ?? new Dictionary<string, object?>()); // where the host's route values arrive
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns(function);
        var context = new Mock<FunctionContext>();
        context.SetupProperty(c => c.Items, new Dictionary<object, object>());
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        context.SetupGet(c => c.InvocationId).Returns(Guid.NewGuid().ToString());
        context.SetupGet(c => c.BindingContext).Returns(binding.Object);
        if (http is not null)
        {
            context.Object.Items["HttpRequestContext"] = http; // where the ASP.NET Core integration puts the request
        }
        return context;
    }

    [Fact]
    public async Task AWriteWithoutAKeyIsRefused401InTheMiddlewareAndTheFunctionNeverRuns()
    {
        await using var app = new QcdcAppFactory(azurite);
        await using var scope = app.Services.CreateAsyncScope();
        var http = Request(scope, "PUT", "/api/submissions/QCDC-Q/2024Q3/LC-X-BINHLU");
        http.Request.ContentType = "application/json";
        http.Request.Body = new MemoryStream("""{"values":{"docs_issued":1}}"""u8.ToArray());
        var middleware = new AspNetCorePipelineMiddleware(new WorkerPipeline(app.Services));
        var ran = false;

        await middleware.Invoke(Invocation("SaveReport", http, Route("QCDC-Q", "2024Q3", "LC-X-BINHLU")).Object, _ => { ran = true; return Task.CompletedTask; });

        Assert.False(ran);
        Assert.Equal(StatusCodes.Status401Unauthorized, http.Response.StatusCode);
        Assert.StartsWith("ApiKey", http.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        http.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(http.Response.Body, cancellationToken: Ct);
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
    }

    /// <summary>The request as the ASP.NET Core integration hands it to the worker middleware, with an answer to read back.</summary>
    private static DefaultHttpContext Request(AsyncServiceScope scope, string method, string path)
    {
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Method = method;
        http.Request.Path = path;
        http.Response.Body = new MemoryStream();
        return http;
    }

    private static Dictionary<string, object?> Route(string form, string period, string unit) =>
        new() { ["form"] = form, ["period"] = period, ["unit"] = unit };

    [Fact]
    public async Task AMalformedCodeAmongTheHostsRouteValuesIsA400NamingItAndTheFunctionNeverRuns()
    {
        await using var app = new QcdcAppFactory(azurite);
        await using var scope = app.Services.CreateAsyncScope();
        var http = Request(scope, "GET", "/api/submissions/QCDC-Q/2024Q3%0A/LC-X-BINHLU");
        var middleware = new AspNetCorePipelineMiddleware(new WorkerPipeline(app.Services));
        var ran = false;

        await middleware.Invoke(Invocation("GetReport", http, Route("QCDC-Q", "2024Q3\n", "LC-X-BINHLU")).Object, _ => { ran = true; return Task.CompletedTask; });

        Assert.False(ran);
        Assert.Equal(StatusCodes.Status400BadRequest, http.Response.StatusCode);
        http.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(http.Response.Body, cancellationToken: Ct);
        Assert.Equal("period", problem.RootElement.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task ATimerInvocationHasNoRequestAndGoesStraightToItsFunction()
    {
        await using var app = new QcdcAppFactory(azurite);
        var middleware = new AspNetCorePipelineMiddleware(new WorkerPipeline(app.Services));
        var ran = false;

        await middleware.Invoke(Invocation("QuarterlyRollup", http: null).Object, _ => { ran = true; return Task.CompletedTask; });

        Assert.True(ran);
    }

    [Fact]
    public async Task EveryHttpFunctionHasItsEndpointMetadataInTheWorker()
    {
        await using var app = new QcdcAppFactory(azurite);
        var pipeline = new WorkerPipeline(app.Services);

        Assert.All(FunctionTable.Http, f =>
        {
            var endpoint = pipeline.EndpointOf(f.Name);
            Assert.NotNull(endpoint);
            Assert.NotNull(endpoint.Metadata.GetMetadata<Qcdc.Functions.Hosting.AccessMetadata>());
        });
    }
}
