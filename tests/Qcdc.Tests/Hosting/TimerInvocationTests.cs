using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Jobs;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Hosting;

/// <summary>Timer functions driven exactly as the Azure Functions host drives a custom handler.</summary>
public sealed class TimerInvocationTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private QcdcAppFactory UnderFunctionsHost(JobProbe probe) => new QcdcAppFactory(azurite)
        .With("FUNCTIONS_CUSTOMHANDLER_PORT", "7071")
        .WithServices(s => s
            .AddSingleton(probe)
            .AddScheduledJob<ProbeJob>("ProbeJob", "0 0 18 * * *")
            .AddScheduledJob<FailingJob>("FailingJob", "0 0 18 * * 0"));

    private static StringContent HostPayload(bool isPastDue, bool withStatus)
    {
        var status = withStatus
            ? """{"Last":"2026-11-21T18:00:00+00:00","Next":"2026-11-22T18:00:00+00:00","LastUpdated":"2026-11-21T18:00:01+00:00"}"""
            : "null";
        var pastDue = isPastDue ? "true" : "false";
        const string json = """
            {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":STATUS,"IsPastDue":PASTDUE}},
             "Metadata":{"sys":{"MethodName":"ProbeJob","UtcNow":"2026-11-22T18:00:00.0123+00:00","RandGuid":"5a9b7c1e-0d2f-4e8a-9b6c-3f1e2d4c5b6a"}}}
            """;
        return new StringContent(json.Replace("STATUS", status, StringComparison.Ordinal).Replace("PASTDUE", pastDue, StringComparison.Ordinal), Encoding.UTF8, "application/json");
    }

    [Fact]
    public async Task HostInvocationRunsTheJobAndAnswersTheDocumentedShape()
    {
        var probe = new JobProbe();
        await using var app = UnderFunctionsHost(probe);

        var response = await app.CreateClient().PostAsync("/ProbeJob", HostPayload(isPastDue: false, withStatus: true), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("ReturnValue").ValueKind);
        var logs = body.RootElement.GetProperty("Logs").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Contains(logs, l => l!.Contains("Probe run 1", StringComparison.Ordinal));
        var run = Assert.Single(probe.Runs);
        Assert.Equal(JobTrigger.FunctionsHost, run.Trigger);
        Assert.False(run.IsPastDue);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 18, 0, 0, TimeSpan.Zero), run.Occurrence);
    }

    [Fact]
    public async Task PastDueInvocationWithNullScheduleStatusRunsTheJobAsPastDue()
    {
        var probe = new JobProbe();
        await using var app = UnderFunctionsHost(probe);

        var response = await app.CreateClient().PostAsync("/ProbeJob", HostPayload(isPastDue: true, withStatus: false), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Assert.Single(probe.Runs).IsPastDue);
    }

    [Fact]
    public async Task FailingJobAnswersNon2xxSoThatTheInvocationFails()
    {
        await using var app = UnderFunctionsHost(new JobProbe());

        var response = await app.CreateClient().PostAsync("/FailingJob", HostPayload(isPastDue: false, withStatus: true), Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var logs = body.RootElement.GetProperty("Logs").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Contains(logs, l => l!.Contains("fails on purpose", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MalformedInvocationBodyIsRefused()
    {
        var probe = new JobProbe();
        await using var app = UnderFunctionsHost(probe);

        var response = await app.CreateClient().PostAsync("/ProbeJob", new StringContent("{not json", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(probe.Runs);
    }

    [Fact]
    public async Task TimerRoutesExistOnlyUnderTheFunctionsHost()
    {
        var probe = new JobProbe();
        await using var app = new QcdcAppFactory(azurite)
            .WithServices(s => s.AddSingleton(probe).AddScheduledJob<ProbeJob>("ProbeJob", "0 0 18 * * *"));

        var response = await app.CreateClient().PostAsync("/ProbeJob", HostPayload(isPastDue: false, withStatus: true), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(probe.Runs);
    }

    [Fact]
    public async Task RootAnswersAtOnceForTheHostReadinessProbe()
    {
        await using var app = UnderFunctionsHost(new JobProbe());
        var response = await app.CreateClient().GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
