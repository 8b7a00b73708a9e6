using System.Collections.Concurrent;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Storage;

/// <summary>
/// No table write goes out with <c>If-Match: *</c> (overwrite whatever is there) unless the code means it: every request
/// the app sends through a whole report's life, a key, a session and a notice is recorded, entity-group transactions
/// opened, and each unconditional write must be one of the few the code asks for on purpose.
/// </summary>
public sealed class ConditionalWriteTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class RecordingPolicy : HttpPipelineSynchronousPolicy
    {
        public ConcurrentQueue<(string Method, string Target, string? IfMatch)> Writes { get; } = new();

        public override void OnSendingRequest(HttpMessage message)
        {
            var request = message.Request;
            if (request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && request.Content is not null)
            {
                using var buffer = new MemoryStream();
                request.Content.WriteTo(buffer, default);
                string? method = null, target = null;
                foreach (var line in Encoding.UTF8.GetString(buffer.ToArray()).Split("\r\n"))
                {
                    if (line.Split(' ') is [var verb, var url, "HTTP/1.1"])
                    {
                        (method, target) = (verb, url);
                        Writes.Enqueue((verb, url, null));
                    }
                    else if (line.StartsWith("If-Match:", StringComparison.OrdinalIgnoreCase) && method is not null)
                    {
                        Writes.Enqueue((method, target!, line["If-Match:".Length..].Trim()));
                    }
                }
            }
            else if (request.Method != RequestMethod.Get)
            {
                Writes.Enqueue((request.Method.Method, request.Uri.Path, request.Headers.TryGetValue("If-Match", out var ifMatch) ? ifMatch : null));
            }
        }
    }

    [Fact]
    public async Task NoWriteOverwritesUnconditionallyExceptWhereTheCodeMeansIt()
    {
        var policy = new RecordingPolicy();
        await using var app = new ReportingApp(azurite, configure: f => f.WithServices(s => s.Replace(ServiceDescriptor.Singleton(_ =>
        {
            var options = new TableClientOptions();
            options.AddPolicy(policy, HttpPipelinePosition.PerCall);
            return new TableServiceClient(azurite.ConnectionString, options);
        }))));
        var reporter = await app.ReporterAsync();
        var reviewer = await app.ReviewerAsync();

        Assert.True((await reporter.SendAsync(Put(Q3 + "/LC-TDG-01", Complete), Ct)).IsSuccessStatusCode);
        Assert.True((await reporter.SendAsync(Put(Q3 + "/LC-TDG-01", Complete.Replace("\"docs_issued\": 3", "\"docs_issued\": 4", StringComparison.Ordinal), "\"1\""), Ct)).IsSuccessStatusCode);
        Assert.True((await reporter.PostAsync(Q3 + "/LC-TDG-01/submit", null, Ct)).IsSuccessStatusCode);
        Assert.True((await reviewer.PostAsync(Q3 + "/LC-TDG-01/return", HttpJson.Body("""{"reason":"Bổ sung số liệu."}"""), Ct)).IsSuccessStatusCode);
        Assert.True((await reporter.SendAsync(Put(Q3 + "/LC-TDG-01", Complete, "\"4\""), Ct)).IsSuccessStatusCode);
        Assert.True((await reporter.PostAsync(Q3 + "/LC-TDG-01/submit", null, Ct)).IsSuccessStatusCode);
        Assert.True((await reviewer.PostAsync(Q3 + "/LC-TDG-01/approve", null, Ct)).IsSuccessStatusCode);
        Assert.True((await app.Admin.PostAsync("/api/manage/jobs/NotificationDispatch/run", null, Ct)).IsSuccessStatusCode);
        Assert.True((await app.Admin.PostAsync("/api/manage/jobs/NoticeDelivery/run", null, Ct)).IsSuccessStatusCode);

        var writes = policy.Writes.ToList();
        Assert.Contains(writes, w => w.IfMatch is { } tag && tag != "*"); // conditional updates carry the entity's own tag
        var unconditional = writes.Where(w => w.IfMatch == "*").ToList();
        // Meant: deleting a row that may already be gone, and marking a notice this instance holds the claim of.
        Assert.All(unconditional, w => Assert.True(
            w.Method == "DELETE" || (w.Method is "MERGE" or "PATCH" && w.Target.Contains("Notifications(PartitionKey='notices'", StringComparison.Ordinal)),
            $"{w.Method} {w.Target} was sent with If-Match: *"));
    }
}
