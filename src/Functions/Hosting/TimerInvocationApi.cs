using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Functions.Http;
using Qcdc.Functions.Security;
using Qcdc.Jobs;

namespace Qcdc.Functions.Hosting;

/// <summary>
/// Timer functions as the Azure Functions host invokes a custom handler: <c>POST /{FunctionName}</c> with
/// <c>{"Data":{"timer":{…,"IsPastDue":…}},"Metadata":{"sys":{…}}}</c>, answered with
/// <c>{"Outputs":{},"Logs":[…],"ReturnValue":null}</c>; a failed job answers 500 so that the invocation fails.
/// Mapped only under the Functions host; alone, the in-process scheduler runs the same jobs.
/// </summary>
public static class TimerInvocationApi
{
    public static WebApplication MapTimerInvocations(this WebApplication app)
    {
        if (!CustomHandlerHosting.IsUnderFunctionsHost(app.Configuration))
        {
            return app;
        }
        foreach (var job in app.Services.GetServices<JobRegistration>())
        {
            app.MapPost("/" + job.Name, (HttpRequest request, JobRunner runner, TimeProvider time, CancellationToken ct) =>
                    InvokeAsync(job, request, runner, time, ct))
                .WithName("Timer" + job.Name)
                .WithMetadata(job)
                .WithRequestBudget(null) // the job's own budget applies
                .RequireAccess(AccessRule.Anonymous)
                .ExcludeFromDescription();
        }
        return app;
    }

    private static async Task<JsonHttpResult<InvocationResponse>> InvokeAsync(
        JobRegistration job, HttpRequest request, JobRunner runner, TimeProvider time, CancellationToken cancellationToken)
    {
        TimerInvocation? invocation;
        try
        {
            invocation = await JsonSerializer.DeserializeAsync(request.Body, TimerInvocationJson.Default.TimerInvocation, cancellationToken);
        }
        catch (JsonException e)
        {
            return Answer(StatusCodes.Status400BadRequest, [$"Error: the invocation body is not valid JSON: {e.Message}"]);
        }
        var timer = invocation?.Data?.Values.FirstOrDefault();
        var now = invocation?.Metadata?.Sys?.UtcNow ?? time.GetUtcNow();
        var occurrence = job.Cron.GetOccurrences(now.AddDays(-8), now, TimeZoneInfo.Utc, fromInclusive: true, toInclusive: true)
            .DefaultIfEmpty(now).Last();
        var outcome = await runner.RunAsync(job, JobTrigger.FunctionsHost, timer?.IsPastDue ?? false, occurrence, cancellationToken);
        return Answer(outcome.Status == JobRunStatus.Failed ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK, outcome.Logs);
    }

    private static JsonHttpResult<InvocationResponse> Answer(int status, IReadOnlyList<string> logs) =>
        TypedResults.Json(new InvocationResponse(new Dictionary<string, object?>(), logs, null), TimerInvocationJson.Default.InvocationResponse, statusCode: status);
}

public sealed record TimerInvocation(Dictionary<string, TimerInfo?>? Data, InvocationMetadata? Metadata);

public sealed record TimerInfo(TimerScheduleInfo? Schedule, TimerScheduleStatus? ScheduleStatus, bool IsPastDue);

public sealed record TimerScheduleInfo(bool AdjustForDST);

public sealed record TimerScheduleStatus(DateTimeOffset? Last, DateTimeOffset? Next, DateTimeOffset? LastUpdated);

public sealed record InvocationMetadata([property: JsonPropertyName("sys")] SystemMetadata? Sys);

public sealed record SystemMetadata(string? MethodName, DateTimeOffset? UtcNow, string? RandGuid);

public sealed record InvocationResponse(Dictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(TimerInvocation))]
[JsonSerializable(typeof(InvocationResponse))]
internal sealed partial class TimerInvocationJson : JsonSerializerContext;
