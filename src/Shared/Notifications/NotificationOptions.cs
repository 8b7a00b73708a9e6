namespace Qcdc.Notifications;

/// <summary>Bound from the <c>Notifications</c> section. With neither SMTP nor a webhook secret, notices are only recorded.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Reminders go out this many days before a deadline (and on the day, and 3 days after it).</summary>
    public int[] RemindDaysBefore { get; set; } = [5, 1];

    /// <summary>Where people open the pages ("https://qcdc.laichau.gov.vn"); links in notices start with it.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>After this many failed deliveries a notice is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The hour (Vietnam) at which each day's digests go out; events after it are in the next day's.</summary>
    public int DigestHour { get; set; } = 17;

    public SmtpOptions Smtp { get; set; } = new();

    public WebhookOptions Webhook { get; set; } = new();
}

public sealed class SmtpOptions
{
    /// <summary>No host: no e-mail.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public bool UseStartTls { get; set; } = true;

    public string? UserName { get; set; }

    /// <summary>From configuration or a Key Vault reference; never logged.</summary>
    public string? Password { get; set; }

    public string From { get; set; } = "QCDC <no-reply@localhost>";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
}

public sealed class WebhookOptions
{
    /// <summary>The HMAC-SHA256 key the signature header is made with; no secret: no webhooks.</summary>
    public string? Secret { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
