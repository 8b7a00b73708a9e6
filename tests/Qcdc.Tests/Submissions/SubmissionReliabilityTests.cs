using System.Diagnostics;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;
using Qcdc.Storage;
using Qcdc.Submissions;
using Qcdc.Tests.Faults;
using Qcdc.Tests.Infrastructure;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Submissions;

public sealed class SubmissionReliabilityTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Url = Q3 + "/LC-TDG-01";

    [Fact]
    public async Task OfTwoConcurrentUpdatesWithTheSameETagExactlyOneWinsAndNoRevisionIsLost()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            reporter.SendAsync(Put(Url, $$"""{"docs_issued": {{10 + i}}, "narrative_results": "x"}""", "\"1\""), Ct)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.PreconditionFailed, a.StatusCode));
        var winner = await answers.Single(a => a.StatusCode == HttpStatusCode.OK).ReadJsonAsync();
        var current = await (await reporter.GetAsync(Url, Ct)).ReadJsonAsync();
        Assert.Equal(winner.GetProperty("values").GetProperty("docs_issued").GetInt32(), current.GetProperty("values").GetProperty("docs_issued").GetInt32());
        var history = await (await reporter.GetAsync(Url + "/history", Ct)).ReadJsonAsync();
        Assert.Equal([1, 2], history.GetProperty("revisions").EnumerateArray().Select(r => r.GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task ARetryAfterADroppedResponseCreatesOneRevision()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);

        // The first attempt's answer is "lost"; the client retries the very same request, concurrently too.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            reporter.SendAsync(Put(Url, """{"docs_issued": 7, "narrative_results": "x"}""", "\"1\"", "dropped-1"), Ct)));

        Assert.All(attempts, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.All(attempts, a => Assert.Equal("\"2\"", a.Headers.ETag?.Tag));
        var history = await (await reporter.GetAsync(Url + "/history", Ct)).ReadJsonAsync();
        Assert.Equal(2, history.GetProperty("revisions").GetArrayLength());
    }

    [Fact]
    public async Task StorageFailingInTheMiddleOfAWriteLeavesStateAndHistoryConsistentAndAnswers503()
    {
        var failing = false;
        await using var app = new ReportingApp(azurite, configure: f => f.WithServices(s => s.WithSubmissionsSeam((seam, table) =>
            // The seam: reads go to Azurite; the one transaction fails after the reads succeeded.
            seam.Setup(t => t.SubmitTransactionAsync(It.IsAny<IEnumerable<TableTransactionAction>>(), It.IsAny<CancellationToken>()))
                .Returns((IEnumerable<TableTransactionAction> actions, CancellationToken ct) => failing
                    ? throw new RequestFailedException(503, "The server is busy.")
                    : table.SubmitTransactionAsync(actions, ct)))));
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);

        failing = true;
        var response = await reporter.SendAsync(Put(Url, """{"docs_issued": 99, "narrative_results": "x"}""", "\"1\""), Ct);
        failing = false;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var current = await (await reporter.GetAsync(Url, Ct)).ReadJsonAsync();
        Assert.Equal(1, current.GetProperty("revision").GetInt32());
        Assert.Equal(3, current.GetProperty("values").GetProperty("docs_issued").GetInt32());
        var history = await (await reporter.GetAsync(Url + "/history", Ct)).ReadJsonAsync();
        Assert.Equal(1, history.GetProperty("revisions").GetArrayLength());
        // After the outage the same update goes through.
        Assert.Equal(HttpStatusCode.OK, (await reporter.SendAsync(Put(Url, """{"docs_issued": 99, "narrative_results": "x"}""", "\"1\""), Ct)).StatusCode);
    }

    [Fact]
    public async Task StorageUnreachableAnswers503WithinFiveSeconds()
    {
        var closed = Qcdc.Tests.Health.HealthApiTests.ClosedPort();
        await using var app = new ReportingApp(azurite, configure: f => f
            .With("Storage:ConnectionString", Qcdc.Development.DevStorage.AzuriteProcess.ConnectionStringFor(closed, closed))
            .With("Seed:Demo", "false"));
        var admin = app.Admin;

        var clock = Stopwatch.StartNew();
        var response = await admin.SendAsync(Put(Url, Complete), Ct);
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }
}
