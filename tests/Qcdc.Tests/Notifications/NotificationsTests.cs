using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Qcdc.Notifications;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Notifications;

/// <summary>
/// Notices through a real SMTP server and a webhook receiver on loopback: a return at once, the day's submissions in
/// one digest, deadline reminders; an outage, a crash and re-runs never losing or doubling one.
/// </summary>
public sealed class NotificationsTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Secret = "webhook-secret-for-the-tests-0123456789";
    private const string Clerk = "van.thu@tamduong.laichau.vn";
    private const string DistrictReviewer = "pho.phong@tamduong.laichau.vn";
    private const string Report = "/api/submissions/QCDC-Q/2024Q3/LC-TDG-01";

    private static ReportingApp Start(
        AzuriteFixture azurite, SmtpSink smtp, DateTimeOffset? now = null, string? prefix = null, int maxAttempts = 8, bool stopsAfterCommit = false) =>
        new(azurite, now, f =>
        {
            if (stopsAfterCommit)
            {
                // As if the process stopped right after committing: nothing is told of the change.
                f.WithServices(s => s.RemoveAll<Qcdc.Submissions.ISubmissionObserver>());
            }
            f.With("Notifications:Smtp:Host", "127.0.0.1").With("Notifications:Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .With("Notifications:Smtp:UseStartTls", "false").With("Notifications:Smtp:From", "QCDC Lai Châu <qcdc@laichau.gov.vn>")
                .With("Notifications:Webhook:Secret", Secret).With("Notifications:PublicBaseUrl", "https://qcdc.laichau.example")
                .With("Notifications:MaxAttempts", maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (prefix is not null)
            {
                f.With("Storage:Prefix", prefix);
            }
        });

    private static async Task ContactsAsync(ReportingApp app, string unit, string email, string? webhook = null)
    {
        var body = webhook is null ? $$"""{"emails":["{{email}}"]}""" : $$"""{"emails":["{{email}}"],"webhookUrl":"{{webhook}}"}""";
        var response = await app.Admin.PutAsync($"/api/manage/units/{unit}/contacts", HttpJson.Body(body), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<string> RunAsync(ReportingApp app, string job)
    {
        var response = await app.Admin.PostAsync($"/api/manage/jobs/{job}/run", null, Ct);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && body.GetProperty("status").GetString() == "succeeded", body.GetRawText());
        return body.GetProperty("summary").GetString()!;
    }

    private static async Task FileAndSubmitAsync(ReportingApp app, string unit)
    {
        var url = $"/api/submissions/QCDC-Q/2024Q3/{unit}";
        Assert.True((await app.Admin.SendAsync(Put(url, Complete), Ct)).IsSuccessStatusCode);
        Assert.True((await app.Admin.PostAsync(url + "/submit", null, Ct)).IsSuccessStatusCode);
    }

    private static async Task ReturnAsync(ReportingApp app)
    {
        var returned = await app.Admin.PostAsync(Report + "/return", HttpJson.Body("""{"reason":"Thiếu số liệu đối thoại cấp xã; đề nghị bổ sung."}"""), Ct);
        Assert.True(returned.IsSuccessStatusCode, await returned.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<JsonElement[]> NoticesAsync(ReportingApp app, string? status = null) =>
        [.. (await (await app.Admin.GetAsync("/api/manage/notifications" + (status is null ? "" : $"?status={status}"), Ct)).ReadJsonAsync())
            .GetProperty("notices").EnumerateArray()];

    [Fact]
    public async Task AReturnReachesTheUnitOnceByMailAndSignedWebhookWithTheReasonInVietnamese()
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        using var hook = new WebhookSink();
        await using var app = Start(azurite, smtp);
        await ContactsAsync(app, "LC-TDG-01", Clerk, hook.Url);
        await FileAndSubmitAsync(app, "LC-TDG-01");
        await ReturnAsync(app);

        // The return's notice is recorded with the return and sent right after it, before the return answers.
        Assert.Single(smtp.Messages);
        // Run everything again, as a retried timer or a second instance would: nothing more is sent.
        await RunAsync(app, "NotificationDispatch");
        await RunAsync(app, "NoticeDelivery");

        var message = Assert.Single(smtp.Messages);
        Assert.Equal([Clerk], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("qcdc@laichau.gov.vn", message.From.Mailboxes.Single().Address);
        Assert.Equal("Báo cáo quý III năm 2024 của Thị trấn Tam Đường bị trả lại", message.Subject);
        Assert.Contains("Lý do: Thiếu số liệu đối thoại cấp xã; đề nghị bổ sung.", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://qcdc.laichau.example/#/bao-cao/QCDC-Q/2024Q3/LC-TDG-01", message.TextBody, StringComparison.Ordinal);
        Assert.Equal("utf-8", message.BodyParts.OfType<MimeKit.TextPart>().Single().ContentType.Charset, ignoreCase: true);

        var (signature, noticeId, body) = Assert.Single(hook.Received);
        Assert.Equal("sha256=" + NoticeSender.Sign(body, Secret), signature);
        var payload = JsonDocument.Parse(body).RootElement;
        Assert.Equal(("returned", "LC-TDG-01", "2024Q3"), (payload.GetProperty("kind").GetString(), payload.GetProperty("unit").GetString(), payload.GetProperty("period").GetString()));
        Assert.Contains("Thiếu số liệu đối thoại cấp xã", payload.GetProperty("text").GetString(), StringComparison.Ordinal);

        var sent = Assert.Single(await NoticesAsync(app, "sent"));
        Assert.Equal(noticeId, sent.GetProperty("id").GetString());
        Assert.Equal(["email", "webhook"], sent.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.DoesNotContain(app.Factory.Logs.Entries, e => e.Text.Contains(Clerk, StringComparison.Ordinal) || e.Text.Contains(hook.Url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDaysSubmissionsReachTheReviewingUnitAsOneDigestAtTheEndOfTheDay()
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        await using var app = Start(azurite, smtp);
        await ContactsAsync(app, "LC-TDG", DistrictReviewer);
        await ContactsAsync(app, "LC-TDG-02", "xa.thensin@tamduong.laichau.vn");
        foreach (var unit in (string[])["LC-TDG-01", "LC-TDG-02", "LC-TDG-03"])
        {
            await FileAndSubmitAsync(app, unit);
        }
        Assert.True((await app.Admin.PostAsync("/api/submissions/QCDC-Q/2024Q3/LC-TDG-02/approve", null, Ct)).IsSuccessStatusCode);

        await RunAsync(app, "NotificationDispatch");
        await RunAsync(app, "NoticeDelivery");
        Assert.Empty(smtp.Messages); // 10:00 in Vietnam: the digest goes out at 17:00

        app.Clock.Advance(TimeSpan.FromHours(7) + TimeSpan.FromMinutes(1));
        await RunAsync(app, "NoticeDelivery");

        Assert.Equal(2, smtp.Messages.Count);
        var digest = Assert.Single(smtp.Messages, m => m.To.Mailboxes.Any(a => a.Address == DistrictReviewer));
        Assert.Equal([DistrictReviewer], digest.To.Mailboxes.Select(m => m.Address));
        var approved = Assert.Single(smtp.Messages, m => m.To.Mailboxes.Any(a => a.Address == "xa.thensin@tamduong.laichau.vn"));
        Assert.Contains("- Báo cáo QCDC-Q quý III năm 2024 đã được duyệt lúc 10:00 10/09/2024.", approved.TextBody, StringComparison.Ordinal);
        Assert.Equal("Tổng hợp báo cáo trong ngày 10/09/2024 — Huyện Tam Đường", digest.Subject);
        foreach (var name in (string[])["Thị trấn Tam Đường", "Xã Thèn Sin", "Xã Tả Lèng"])
        {
            Assert.Contains($"- {name} đã gửi báo cáo QCDC-Q quý III năm 2024 lúc 10:00 10/09/2024.", digest.TextBody, StringComparison.Ordinal);
        }
        Assert.Equal(3, Assert.Single(await NoticesAsync(app, "sent"), n => n.GetProperty("unit").GetString() == "LC-TDG").GetProperty("lines").GetInt32());
    }

    [Fact]
    public async Task AnSmtpOutageLosesNothingAndTheNoticeIsDeliveredOnceWhenTheServerReturns()
    {
        await using var smtp = new SmtpSink(); // down at first
        await using var app = Start(azurite, smtp);
        await ContactsAsync(app, "LC-TDG-01", Clerk);
        await FileAndSubmitAsync(app, "LC-TDG-01");
        await ReturnAsync(app); // its delivery is tried at once, and fails
        await RunAsync(app, "NotificationDispatch");

        var waiting = Assert.Single(await NoticesAsync(app, "pending"), n => n.GetProperty("kind").GetString() == "returned");
        Assert.Equal((1, "connection failed (ConnectionRefused)"), (waiting.GetProperty("attempts").GetInt32(), waiting.GetProperty("lastError").GetString()));
        Assert.Contains("0 notices delivered", await RunAsync(app, "NoticeDelivery"), StringComparison.Ordinal); // not due before its backoff

        await smtp.StartAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await RunAsync(app, "NoticeDelivery");
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await RunAsync(app, "NoticeDelivery");

        Assert.Single(smtp.Messages);
        Assert.Equal(2, Assert.Single(await NoticesAsync(app, "sent")).GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task AfterTheConfiguredAttemptsANoticeIsMarkedFailed()
    {
        await using var smtp = new SmtpSink(); // never up
        await using var app = Start(azurite, smtp, maxAttempts: 2);
        await ContactsAsync(app, "LC-TDG-01", Clerk);
        await FileAndSubmitAsync(app, "LC-TDG-01");
        await ReturnAsync(app);
        await RunAsync(app, "NotificationDispatch");

        await RunAsync(app, "NoticeDelivery");
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Contains("1 given up", await RunAsync(app, "NoticeDelivery"), StringComparison.Ordinal);

        var failed = Assert.Single(await NoticesAsync(app, "failed"));
        Assert.Equal(2, failed.GetProperty("attempts").GetInt32());
        Assert.DoesNotContain(await NoticesAsync(app, "pending"), n => n.GetProperty("kind").GetString() == "returned");
    }

    [Fact]
    public async Task ACrashBetweenRecordAndSendDeliversExactlyOnce()
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        var prefix = AzuriteFixture.UniquePrefix();
        await using (var before = Start(azurite, smtp, prefix: prefix, stopsAfterCommit: true))
        {
            await ContactsAsync(before, "LC-TDG-01", Clerk);
            await FileAndSubmitAsync(before, "LC-TDG-01");
            await ReturnAsync(before); // recorded with the return itself; the process stops before anything else
            Assert.Empty(await NoticesAsync(before));
        }

        await using var after = Start(azurite, smtp, prefix: prefix);
        await RunAsync(after, "NoticeDelivery");
        Assert.Empty(smtp.Messages); // not yet a notice: the hourly sweep finds it
        await RunAsync(after, "NotificationDispatch");
        await RunAsync(after, "NoticeDelivery");
        await RunAsync(after, "NotificationDispatch");
        await RunAsync(after, "NoticeDelivery");

        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task DeadlineRemindersGoToTheUnitsThatHaveNotSubmittedAndTheirReviewerOncePerDay()
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        // 11 September 2024, 08:00 in Vietnam: communes' deadline for 2024Q3 is 16 September, five days away.
        await using var app = Start(azurite, smtp, new DateTimeOffset(2024, 9, 11, 1, 0, 0, TimeSpan.Zero));
        await ContactsAsync(app, "LC-TDG-01", Clerk);
        await ContactsAsync(app, "LC-TDG-02", "xa.thensin@tamduong.laichau.vn");
        await ContactsAsync(app, "LC-TDG", DistrictReviewer);
        await FileAndSubmitAsync(app, "LC-TDG-01");

        await RunAsync(app, "DeadlineReminders");
        await RunAsync(app, "DeadlineReminders"); // a retried run records nothing twice
        await RunAsync(app, "NoticeDelivery");

        var notices = await NoticesAsync(app);
        Assert.DoesNotContain(notices, n => n.GetProperty("kind").GetString() == "reminder" && n.GetProperty("unit").GetString() == "LC-TDG-01");
        Assert.Contains(notices, n => n.GetProperty("kind").GetString() == "reminder" && n.GetProperty("unit").GetString() == "LC-TDG-02");
        Assert.Equal(12, notices.Count(n => n.GetProperty("kind").GetString() == "reminder" && n.GetProperty("unit").GetString()!.StartsWith("LC-TDG-", StringComparison.Ordinal)));
        var messages = smtp.Messages;
        var reminder = Assert.Single(messages, m => m.To.Mailboxes.Any(a => a.Address == "xa.thensin@tamduong.laichau.vn"));
        Assert.Equal("Nhắc hạn nộp báo cáo quý III năm 2024: còn 5 ngày", reminder.Subject);
        Assert.Contains("Hạn nộp: 16/09/2024", reminder.TextBody, StringComparison.Ordinal);
        var missing = Assert.Single(messages, m => m.To.Mailboxes.Any(a => a.Address == DistrictReviewer));
        Assert.Contains("- Xã Thèn Sin (LC-TDG-02) — hạn 16/09/2024", missing.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("LC-TDG-01)", missing.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(messages, m => m.To.Mailboxes.Any(a => a.Address == Clerk));
    }

    /// <summary>
    /// The seeded province through 2024Q3, a day at a time (08:00 every morning: reminders, dispatch, delivery): most
    /// communes submit before their deadline, some late, one is returned and resubmitted, the districts approve. Every
    /// unit has a contact. Writes how many messages each unit received to TestResults/notifications-quarter.txt.
    /// </summary>
    [Fact]
    public async Task AQuarterOfTheSeededProvinceSendsEachUnitAFewNoticesAndNoneTwice()
    {
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        var start = new DateTimeOffset(2024, 9, 1, 1, 0, 0, TimeSpan.Zero);
        await using var app = Start(azurite, smtp, start);
        var units = (await (await app.Admin.GetAsync("/api/units/LC", Ct)).ReadJsonAsync()).GetProperty("children").EnumerateArray()
            .Select(u => u.GetProperty("code").GetString()!).ToList();
        var communes = new List<string>();
        foreach (var district in units.Where(u => u is "LC-TDG" or "LC-TUY" or "LC-THU"))
        {
            communes.AddRange((await (await app.Admin.GetAsync($"/api/units/{district}?asOf=2024-09-30", Ct)).ReadJsonAsync()).GetProperty("children").EnumerateArray()
                .Where(u => u.GetProperty("kind").GetString() == "commune").Select(u => u.GetProperty("code").GetString()!));
        }
        foreach (var unit in units.Concat(communes).Append("LC"))
        {
            await ContactsAsync(app, unit, $"{unit.ToLowerInvariant()}@laichau.example");
        }
        for (var day = 0; day < 61; day++)
        {
            var today = start.AddDays(day);
            app.Clock.SetUtcNow(today);
            for (var i = 0; i < communes.Count; i++)
            {
                // Commune i submits on 1 + i % 20 September (the deadline is the 16th): the last few are late; every fifth is missing.
                if (i % 5 != 4 && today.Day == 1 + (i % 20) && today.Month == 9)
                {
                    await FileAndSubmitAsync(app, communes[i]);
                }
            }
            if (today.Month == 9 && today.Day == 12)
            {
                await ReturnAsync(app);
            }
            if (today.Month == 9 && today.Day == 13)
            {
                Assert.True((await app.Admin.PostAsync(Report + "/submit", null, Ct)).IsSuccessStatusCode);
            }
            if (today.Month == 9 && today.Day == 28)
            {
                foreach (var commune in communes.Take(6))
                {
                    await app.Admin.PostAsync($"/api/submissions/QCDC-Q/2024Q3/{commune}/approve", null, Ct);
                }
            }
            await RunAsync(app, "DeadlineReminders");
            await RunAsync(app, "NotificationDispatch");
            await RunAsync(app, "NoticeDelivery");
            app.Clock.Advance(TimeSpan.FromHours(9)); // 17:00 in Vietnam: the day's digests
            await RunAsync(app, "NotificationDispatch");
            await RunAsync(app, "NoticeDelivery");
        }

        var perRecipient = smtp.Messages.GroupBy(m => m.To.Mailboxes.Single().Address).ToDictionary(g => g.Key, g => g.ToList());
        var ids = smtp.Messages.Select(m => m.MessageId).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count()); // no notice twice
        var lines = perRecipient.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key.Split('@')[0].ToUpperInvariant()}: {p.Value.Count} ({string.Join(", ", p.Value.GroupBy(m => (m.Headers[NoticeSender.NoticeIdHeader] ?? "?").Split('|')[0]).Select(g => $"{g.Count()} {g.Key}"))})")
            .ToList();
        await File.WriteAllLinesAsync(Path.Combine(Directory.CreateDirectory(Path.Combine(AzuriteFixture.RepositoryRoot, "TestResults")).FullName, "notifications-quarter.txt"),
            [$"{smtp.Messages.Count} messages to {perRecipient.Count} units over 61 days of 2024Q3", .. lines], Ct);
        // A commune hears at most four reminders, a return and its approvals; a district also its daily digests and missing lists.
        Assert.All(communes, c => Assert.True(perRecipient.GetValueOrDefault($"{c.ToLowerInvariant()}@laichau.example")?.Count is null or <= 5, c));
        Assert.All(perRecipient.Values, messages => Assert.True(messages.Count <= 25, $"{messages[0].To} got {messages.Count}"));
        Assert.Contains(perRecipient[$"{communes[4].ToLowerInvariant()}@laichau.example"], m => (m.Subject ?? "").Contains("quá hạn 3 ngày", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ContactsAreCheckedAndOnlyAdministratorsSetThem()
    {
        await using var smtp = new SmtpSink();
        await using var app = Start(azurite, smtp);

        var bad = await app.Admin.PutAsync("/api/manage/units/LC-TDG-01/contacts", HttpJson.Body("""{"emails":["not an address"],"webhookUrl":"ftp://x"}"""), Ct);
        var unknown = await app.Admin.PutAsync("/api/manage/units/NOPE/contacts", HttpJson.Body("""{"emails":[]}"""), Ct);
        var clerk = await app.ReporterAsync("LC-TDG-01");
        var forbidden = await clerk.PutAsync("/api/manage/units/LC-TDG-01/contacts", HttpJson.Body("""{"emails":[]}"""), Ct);
        await ContactsAsync(app, "LC-TDG-01", Clerk);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal(["emails[0]", "webhookUrl"], (await bad.ReadJsonAsync()).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var stored = await (await app.Admin.GetAsync("/api/manage/units/LC-TDG-01/contacts", Ct)).ReadJsonAsync();
        Assert.Equal([Clerk], stored.GetProperty("emails").EnumerateArray().Select(e => e.GetString()));
    }
}
