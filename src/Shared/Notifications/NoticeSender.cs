using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Qcdc.Notifications;

/// <summary>
/// Delivers the outbox: each due notice is claimed (so a second instance or a retried run leaves it alone), sent by
/// every channel configured and not yet done for it — e-mail over SMTP (MailKit), a signed webhook — and marked sent;
/// a failure puts it back with a growing wait, and after <see cref="NotificationOptions.MaxAttempts"/> marks it
/// failed. Nothing that identifies a person (an address, a URL) is ever logged.
/// </summary>
public sealed partial class NoticeSender(
    NotificationStore store, HttpClient http, TimeProvider time, IOptions<NotificationOptions> options, ILogger<NoticeSender> logger)
{
    public const string SignatureHeader = "X-Qcdc-Signature";
    public const string NoticeIdHeader = "X-Qcdc-Notice";

    /// <summary>How long a claimed notice is left to its sender before another may try.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private NotificationOptions Options => options.Value;

    public sealed record Delivery(int Sent, int Retried, int Failed);

    public async Task<Delivery> SendDueAsync(CancellationToken cancellationToken)
    {
        var (sent, retried, failed) = (0, 0, 0);
        foreach (var (notice, etag) in await store.DueAsync(time.GetUtcNow(), 200, cancellationToken))
        {
            if (await store.ClaimAsync(notice, etag, time.GetUtcNow() + Lease, cancellationToken) is null)
            {
                continue; // another sender has it
            }
            var delivered = new List<string>(notice.Channels);
            try
            {
                var contacts = await store.GetContactsAsync(notice.Unit, cancellationToken);
                if (!delivered.Contains("email") && Options.Smtp.Host is { Length: > 0 } && contacts?.Emails.Count > 0)
                {
                    await SendEmailAsync(notice, contacts.Emails, cancellationToken);
                    delivered.Add("email");
                }
                if (!delivered.Contains("webhook") && Options.Webhook.Secret is { Length: > 0 } secret && contacts?.WebhookUrl is { } url)
                {
                    await SendWebhookAsync(notice, url, secret, cancellationToken);
                    delivered.Add("webhook");
                }
                // With no channel for this unit the notice is only recorded: the outbox shows what would have gone out.
                await store.MarkSentAsync(notice.Id, time.GetUtcNow(), delivered, cancellationToken);
                LogSent(notice.Id, notice.Attempts + 1, delivered.Count == 0 ? "none" : string.Join('+', delivered));
                sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var attempts = notice.Attempts + 1;
                var givenUp = attempts >= Options.MaxAttempts;
                var wait = TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, attempts - 1)));
                await store.MarkFailedAttemptAsync(notice.Id, Describe(e), time.GetUtcNow() + wait, givenUp, delivered, cancellationToken);
                LogNotDelivered(notice.Id, attempts, Describe(e), givenUp ? "given up" : $"retry in {wait.TotalMinutes:0} min");
                if (givenUp)
                {
                    failed++;
                }
                else
                {
                    retried++;
                }
            }
        }
        return new Delivery(sent, retried, failed);
    }

    /// <summary>What went wrong, without the server's words (they may quote an address).</summary>
    private static string Describe(Exception e) => e switch
    {
        SmtpCommandException smtp => $"SMTP {(int)smtp.StatusCode} ({smtp.ErrorCode})",
        SmtpProtocolException => "SMTP protocol error",
        HttpRequestException { StatusCode: { } status } => $"webhook answered {(int)status}",
        HttpRequestException => "webhook unreachable",
        System.Net.Sockets.SocketException socket => $"connection failed ({socket.SocketErrorCode})",
        IOException => "connection lost",
        OperationCanceledException or TimeoutException => "timed out",
        _ => e.GetType().Name,
    };

    private async Task SendEmailAsync(Notice notice, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var smtp = Options.Smtp;
        var message = new MimeMessage
        {
            Subject = notice.Subject,
            // The same notice always carries the same Message-ID, so a mail system can drop a repeat.
            MessageId = $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(notice.Id)))[..32]}@qcdc.notices",
            Body = new TextPart("plain") { Text = Text(notice) },
            Date = time.GetUtcNow(),
        };
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.AddRange(recipients.Select(MailboxAddress.Parse));
        message.Headers.Add(NoticeIdHeader, notice.Id);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(smtp.Timeout);
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, timeout.Token);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", timeout.Token);
        }
        await client.SendAsync(message, timeout.Token);
        await client.DisconnectAsync(true, timeout.Token);
    }

    private async Task SendWebhookAsync(Notice notice, string url, string secret, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(Payload(notice).ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(SignatureHeader, "sha256=" + Sign(body, secret));
        request.Headers.Add(NoticeIdHeader, notice.Id);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.Webhook.Timeout);
        using var response = await http.SendAsync(request, timeout.Token);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>HMAC-SHA256 of the exact body with the shared secret, in lowercase hex: what a receiver recomputes.</summary>
    public static string Sign(byte[] body, string secret) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static JsonObject Payload(Notice notice) => new()
    {
        ["id"] = notice.Id,
        ["kind"] = notice.Kind.ToString().ToLowerInvariant(),
        ["unit"] = notice.Unit,
        ["form"] = notice.Form,
        ["period"] = notice.Period,
        ["subject"] = notice.Subject,
        ["text"] = Text(notice),
        ["createdAt"] = notice.CreatedAt,
    };

    public static string Text(Notice notice) =>
        notice.Lines.Count == 0 ? notice.Body : notice.Body + "\n\n" + string.Join("\n", notice.Lines.Select(l => "- " + l));

    [LoggerMessage(Level = LogLevel.Information, Message = "Notice {Notice} delivered on attempt {Attempt} by {Channels}")]
    private partial void LogSent(string notice, int attempt, string channels);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {Notice} not delivered on attempt {Attempt}: {Reason}; {Next}")]
    private partial void LogNotDelivered(string notice, int attempt, string reason, string next);
}
