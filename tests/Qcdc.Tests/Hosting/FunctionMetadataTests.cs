using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Functions.Hosting;
using Qcdc.Jobs;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Hosting;

/// <summary>The generated function.json files and the app's endpoint table and job registry agree exactly.</summary>
public sealed class FunctionMetadataTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("qcdc-functions-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    private QcdcAppFactory ProductionApp() => new QcdcAppFactory(azurite) { Environment = "Production" };

    [Fact]
    public async Task EveryHttpEndpointHasExactlyOneFunctionWithTheSameRouteAndMethods()
    {
        await using var app = ProductionApp();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>();
        FunctionAppWriter.Write(_output, FunctionAppMetadata.From(endpoints, app.Services.GetServices<JobRegistration>()), HostJsonPath);

        var expected = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .Select(e => (
                Name: e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName,
                Route: e.RoutePattern.RawText!.Trim('/'),
                Methods: string.Join(",", e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()!.HttpMethods.Select(m => m.ToLowerInvariant()).Order())))
            .Append((Name: FunctionAppMetadata.PagesFunction, Route: FunctionAppMetadata.PagesRoute, Methods: "get,head"))
            .OrderBy(f => f.Name)
            .ToList();
        var written = ReadFunctions("httpTrigger")
            .Select(f => (f.Name, Route: f.Trigger["route"]!.GetValue<string>(),
                Methods: string.Join(",", f.Trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()).Order())))
            .OrderBy(f => f.Name)
            .ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, written);
        Assert.Equal(expected.Count, expected.Select(e => e.Name).Distinct().Count());
    }

    /// <summary>
    /// As the Functions host routes a request (empty route prefix, the most specific route template first): every
    /// route the app serves, pages and the root included, reaches a generated function that forwards it.
    /// </summary>
    [Fact]
    public async Task EveryRouteTheAppServesIsReachedThroughAGeneratedFunction()
    {
        await using var app = ProductionApp();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var functions = FunctionAppMetadata.From(app.Services.GetRequiredService<EndpointDataSource>(), []).HttpFunctions
            .Select(f => (Function: f, Template: Microsoft.AspNetCore.Routing.Template.TemplateParser.Parse(f.Route)))
            .Select(f => (f.Function, Matcher: new Microsoft.AspNetCore.Routing.Template.TemplateMatcher(f.Template, new RouteValueDictionary()),
                Precedence: Microsoft.AspNetCore.Routing.Template.RoutePrecedence.ComputeInbound(f.Template)))
            .ToList();
        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var path = "/" + System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!.Trim('/'), @"\{\*?([a-zA-Z]+)[^}]*\}", "x1");
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var chosen = functions
                    .Where(f => f.Function.Methods.Contains(method.ToLowerInvariant()) && f.Matcher.TryMatch(path, new RouteValueDictionary()))
                    .OrderBy(f => f.Precedence)
                    .Select(f => f.Function.Name)
                    .FirstOrDefault();
                var expected = FunctionAppMetadata.ApiRoute(endpoint) is null
                    ? FunctionAppMetadata.PagesFunction
                    : endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName;
                if (chosen != expected)
                {
                    failures.Add($"{method} {path} reaches {chosen ?? "no function"}, expected {expected}");
                }
            }
        }
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryHttpFunctionForwardsOnlyHttpInAndOut()
    {
        await using var app = ProductionApp();
        FunctionAppWriter.Write(_output, FunctionAppMetadata.From(app.Services.GetRequiredService<EndpointDataSource>(), []), HostJsonPath);

        foreach (var (name, _, bindings) in ReadAll())
        {
            // The host forwards the raw request only to functions whose bindings are one httpTrigger in and one http out.
            Assert.Equal(2, bindings.Count);
            Assert.Equal("httpTrigger", bindings[0]!["type"]!.GetValue<string>());
            Assert.Equal("http", bindings[1]!["type"]!.GetValue<string>());
            Assert.Equal("anonymous", bindings[0]!["authLevel"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(name));
        }
    }

    [Fact]
    public async Task EveryJobHasExactlyOneTimerFunctionWithItsSchedule()
    {
        await using var app = ProductionApp()
            .WithServices(s => s.AddSingleton(new JobProbe()).AddScheduledJob<ProbeJob>("ProbeJob", "0 0 18 * * *"));
        var jobs = app.Services.GetServices<JobRegistration>().ToList();
        FunctionAppWriter.Write(_output, FunctionAppMetadata.From(app.Services.GetRequiredService<EndpointDataSource>(), jobs), HostJsonPath);

        var written = ReadFunctions("timerTrigger").Select(f => (f.Name, f.Trigger["schedule"]!.GetValue<string>())).OrderBy(f => f.Name).ToList();

        Assert.Equal(jobs.Select(j => (j.Name, j.Schedule)).OrderBy(f => f.Name), written);
        Assert.All(written, w => JobSchedule.Parse(w.Item2));
        var names = FunctionAppMetadata.From(app.Services.GetRequiredService<EndpointDataSource>(), jobs).Names.ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public async Task EveryRegisteredScheduleIsASixFieldUtcNcrontab()
    {
        await using var app = ProductionApp();
        foreach (var job in app.Services.GetServices<JobRegistration>())
        {
            Assert.Equal(6, job.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.NotNull(job.Cron.GetNextOccurrence(DateTimeOffset.UtcNow, TimeZoneInfo.Utc));
        }
    }

    [Theory]
    [InlineData("0 0 18 * * *")]
    [InlineData("0 30 18 * * 0")]
    [InlineData("*/5 * * * * *")]
    public void SixFieldSchedulesParse(string schedule) => Assert.NotNull(JobSchedule.Parse(schedule));

    [Theory]
    [InlineData("0 18 * * *")]
    [InlineData("0 0 25 * * *")]
    [InlineData("every day")]
    public void OtherSchedulesAreRefused(string schedule) => Assert.ThrowsAny<FormatException>(() => JobSchedule.Parse(schedule));

    [Fact]
    public void RootHostJsonConfiguresTheCustomHandlerWithForwarding()
    {
        var host = JsonNode.Parse(File.ReadAllText(HostJsonPath))!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("Qcdc.Functions", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheExecutableWritesTheFunctionAppFolderAsThePublishStepRunsIt()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Qcdc.Functions.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "--emit-function-app", _output, "--environment", "Production" })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.True(process.ExitCode == 0, await stdout + await stderr);
        Assert.True(File.Exists(Path.Combine(_output, "host.json")));
        Assert.True(File.Exists(Path.Combine(_output, "GetHealth", "function.json")));
        Assert.Contains("GetHealth", ReadAll().Select(f => f.Name));
    }

    private static string HostJsonPath => Path.Combine(AzuriteFixture.RepositoryRoot, "host.json");

    private List<(string Name, JsonNode Function, JsonArray Bindings)> ReadAll() =>
        [.. Directory.GetDirectories(_output)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d =>
            {
                var json = JsonNode.Parse(File.ReadAllText(Path.Combine(d, "function.json")))!;
                return (Path.GetFileName(d), json, json["bindings"]!.AsArray());
            })];

    private List<(string Name, JsonNode Trigger)> ReadFunctions(string triggerType) =>
        [.. ReadAll()
            .Select(f => (f.Name, Trigger: f.Bindings.First(b => b!["direction"]!.GetValue<string>() == "in")!))
            .Where(f => f.Trigger["type"]!.GetValue<string>() == triggerType)];
}
