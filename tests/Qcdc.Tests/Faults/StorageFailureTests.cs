using System.Diagnostics;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;
using Qcdc.Storage;
using Qcdc.Submissions;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Faults;

/// <summary>Every way storage can fail a request ends in a 503 with Retry-After within the request's budget, never a 500 or a hang.</summary>
public sealed class StorageFailureTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    private QcdcAppFactory AppOn(string connectionString, TimeSpan? networkTimeout = null) => new QcdcAppFactory(azurite)
        .With("Storage:ConnectionString", connectionString)
        .With("Storage:RequestBudget", Budget.ToString())
        .With("Storage:NetworkTimeout", (networkTimeout ?? TimeSpan.FromSeconds(10)).ToString());

    public static TheoryData<string> Faults => ["refused", "hang", "timeouts retried", "server error", "server busy", "too many requests"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task AStorageFailureIs503WithRetryAfterWithinTheBudget(string kind)
    {
        using var fake = kind switch
        {
            "hang" or "timeouts retried" => new FakeStorage(StorageFault.Hang),
            "server error" => new FakeStorage(StorageFault.ServerError),
            "server busy" => new FakeStorage(StorageFault.ServerBusy),
            "too many requests" => new FakeStorage(StorageFault.TooManyRequests),
            _ => null,
        };
        var connection = fake?.ConnectionString ?? Qcdc.Development.DevStorage.AzuriteProcess.ConnectionStringFor(Health.HealthApiTests.ClosedPort(), Health.HealthApiTests.ClosedPort());
        // "timeouts retried": each try gives up after 200 ms, so the SDK's own retries end first, in an AggregateException.
        await using var app = AppOn(connection, kind == "timeouts retried" ? TimeSpan.FromMilliseconds(200) : null);
        var admin = app.CreateAdminClient();
        admin.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var clock = Stopwatch.StartNew();
        var response = await admin.SendAsync(Put(Q3 + "/LC-TDG-01", Complete), Ct);
        clock.Stop();

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("not lost", body, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < Budget + TimeSpan.FromSeconds(1), $"{kind}: answered after {clock.Elapsed}");
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task A503SaysWhatTheCallerCanCountOnForAReadAReportAndAnotherWrite()
    {
        var connection = Qcdc.Development.DevStorage.AzuriteProcess.ConnectionStringFor(Health.HealthApiTests.ClosedPort(), Health.HealthApiTests.ClosedPort());
        await using var app = AppOn(connection);
        var admin = app.CreateAdminClient();
        admin.DefaultRequestHeaders.AcceptLanguage.ParseAdd("vi");

        var read = await admin.GetAsync("/api/units/LC", Ct);
        var report = await admin.SendAsync(Put(Q3 + "/LC-TDG-01", Complete), Ct);
        var units = await admin.PostAsync("/api/manage/units", new StringContent("""{"units": []}""", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.All([read, report, units], r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.Contains("chưa có gì thay đổi. Hãy thử lại", await read.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("Báo cáo của bạn không bị mất", await report.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var other = await units.Content.ReadAsStringAsync(Ct);
        Assert.Contains("có thể đã hoặc chưa được thực hiện", other, StringComparison.Ordinal);
        Assert.DoesNotContain("Báo cáo", other, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWriteThatCommittedButTimedOutIsAnsweredByItsRetryWithTheSameKeyAndCountedOnce()
    {
        var commitThenTimeOut = false;
        await using var app = new ReportingApp(azurite, configure: f => f.WithServices(s => s.WithSubmissionsSeam((seam, table) =>
            // The seam: the transaction commits, then its answer is lost to a timeout.
            seam.Setup(t => t.SubmitTransactionAsync(It.IsAny<IEnumerable<TableTransactionAction>>(), It.IsAny<CancellationToken>()))
                .Returns(async (IEnumerable<TableTransactionAction> actions, CancellationToken ct) =>
                {
                    var response = await table.SubmitTransactionAsync(actions, ct);
                    return commitThenTimeOut
                        ? throw new AggregateException("Retry failed after 3 tries.", new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout.", new TimeoutException()))
                        : response;
                }))));
        var reporter = await app.ReporterAsync();
        await reporter.SendAsync(Put(Url, Complete), Ct);

        commitThenTimeOut = true;
        var ambiguous = await reporter.SendAsync(Put(Url, """{"docs_issued": 9, "narrative_results": "x"}""", "\"1\"", "write-9"), Ct);
        commitThenTimeOut = false;
        var retry = await reporter.SendAsync(Put(Url, """{"docs_issued": 9, "narrative_results": "x"}""", "\"1\"", "write-9"), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ambiguous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal("\"2\"", retry.Headers.ETag?.Tag);
        var history = await (await reporter.GetAsync(Url + "/history", Ct)).ReadJsonAsync();
        Assert.Equal([1, 2], history.GetProperty("revisions").EnumerateArray().Select(r => r.GetProperty("revision").GetInt32()));
    }

    private const string Url = Q3 + "/LC-TDG-01";
}
