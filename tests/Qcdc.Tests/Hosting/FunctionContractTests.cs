using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Jobs;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Hosting;

/// <summary>
/// One contract in both modes: the functions.metadata the Functions Sdk built, the standalone server's endpoints and
/// the OpenAPI document list the same operations (method and route), and the metadata's timers are the standalone
/// scheduler's jobs with the same schedule settings.
/// </summary>
public sealed class FunctionContractTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Undescribed = ["Pages", "GetOpenApiDocument"];

    private static async Task<JsonArray> BuiltMetadataAsync()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(AzuriteFixture.RepositoryRoot, "src", "Functions", "bin", configuration, "net10.0", "functions.metadata");
        return JsonNode.Parse(await File.ReadAllTextAsync(path, Ct))!.AsArray();
    }

    private static IEnumerable<(string Name, JsonObject Binding)> Triggers(JsonArray metadata, string type) =>
        metadata.Select(f => (Name: f!["name"]!.GetValue<string>(),
                Binding: f["bindings"]!.AsArray().Select(b => b!.AsObject()).SingleOrDefault(b => b["type"]!.GetValue<string>() == type)))
            .Where(f => f.Binding is not null)!;

    [Fact]
    public async Task TheBuiltMetadataTheStandaloneEndpointsAndTheOpenApiDocumentListTheSameOperations()
    {
        var metadata = await BuiltMetadataAsync();
        var built = Triggers(metadata, "httpTrigger")
            .SelectMany(f => f.Binding["methods"]!.AsArray().Select(m => $"{m!.GetValue<string>().ToUpperInvariant()} /{f.Binding["route"]!.GetValue<string>()} {f.Name}"))
            .Order().ToList();
        await using var app = new QcdcAppFactory(azurite) { Environment = "Production" };
        var standalone = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.Azure.Functions.Worker.FunctionAttribute>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods
                .Select(m => $"{m} {e.RoutePattern.RawText} {e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName}"))
            .Order().ToList();
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/openapi.json", Ct));
        var described = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name} {o.Value.GetProperty("operationId").GetString()}"))
            .Order().ToList();

        Assert.Equal(built, standalone);
        Assert.Equal(built.Where(o => !Undescribed.Contains(o.Split(' ')[2])), described);
        Assert.Contains("PUT /api/submissions/{form}/{period}/{unit} SaveReport", built);
        Assert.DoesNotContain(built, o => o.Split(' ')[1].TrimStart('/').StartsWith("admin", StringComparison.OrdinalIgnoreCase)
            || o.Split(' ')[1].TrimStart('/').StartsWith("runtime", StringComparison.OrdinalIgnoreCase));
        Assert.All(Triggers(metadata, "httpTrigger"), f => Assert.Equal("Anonymous", f.Binding["authLevel"]!.GetValue<string>()));
    }

    [Fact]
    public async Task TheBuiltTimersAreTheSchedulersJobsWithTheSameScheduleSettings()
    {
        var built = Triggers(await BuiltMetadataAsync(), "timerTrigger")
            .Select(f => (f.Name, Schedule: f.Binding["schedule"]!.GetValue<string>())).OrderBy(f => f.Name).ToList();
        await using var app = new QcdcAppFactory(azurite) { Environment = "Production" };
        var jobs = app.Services.GetServices<JobRegistration>().OrderBy(j => j.Name).ToList();

        Assert.Equal(built, jobs.Select(j => (j.Name, Schedule: $"%{j.Setting}%")));
        Assert.All(jobs, j => Assert.Equal(6, j.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.Contains(jobs, j => j.Name == "QuarterlyRollup" && j.Schedule == "0 0 18 * * *");
    }

    [Fact]
    public async Task TheDeploymentSetsEveryScheduleSettingToTheSchedulersDefault()
    {
        var bicep = await File.ReadAllTextAsync(Path.Combine(AzuriteFixture.RepositoryRoot, "infra", "main.bicep"), Ct);
        var deployed = System.Text.RegularExpressions.Regex.Matches(bicep, @"^\s+(\w+Schedule): '([^']+)'$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => (Setting: m.Groups[1].Value, Schedule: m.Groups[2].Value)).OrderBy(s => s.Setting).ToList();
        await using var app = new QcdcAppFactory(azurite) { Environment = "Production" };

        var defaults = app.Services.GetServices<JobRegistration>().Select(j => (Setting: j.Setting!, j.Schedule)).OrderBy(s => s.Setting);

        Assert.Equal(defaults, deployed);
    }

    [Fact]
    public async Task AScheduleSettingChangesTheStandaloneSchedule()
    {
        await using var app = new QcdcAppFactory(azurite) { Environment = "Production" }.With("QuarterlyRollupSchedule", "0 30 17 * * *");

        var job = app.Services.GetServices<JobRegistration>().Single(j => j.Name == "QuarterlyRollup");

        Assert.Equal("0 30 17 * * *", job.Schedule);
    }
}
