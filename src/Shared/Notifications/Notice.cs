using System.Text.Json.Serialization;
using Qcdc.Json;

namespace Qcdc.Notifications;

[JsonConverter(typeof(KebabCaseEnumConverter<NoticeKind>))]
public enum NoticeKind
{
    /// <summary>A report was returned: to the unit's contacts, with the reason, at once.</summary>
    Returned,
    /// <summary>The day's submissions and approvals, to a unit's contacts, once a day.</summary>
    Digest,
    /// <summary>A deadline is near, today, or past: to a unit that has not submitted.</summary>
    Reminder,
    /// <summary>The units still missing: to the reviewing unit's contacts, on the reminder days.</summary>
    Missing,
}

[JsonConverter(typeof(KebabCaseEnumConverter<NoticeStatus>))]
public enum NoticeStatus
{
    Pending,
    Sent,
    Failed,
}

/// <summary>
/// One notice in the outbox. Its id is deterministic — made of its kind, unit, period and day (and, for a return, the
/// report's revision) — so recording it twice records it once.
/// </summary>
public sealed record Notice(
    string Id, NoticeKind Kind, string Unit, string? Form, string? Period, string Subject, string Body, NoticeStatus Status,
    int Attempts, DateTimeOffset NotBefore, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? LastError, IReadOnlyList<string> Channels,
    IReadOnlyList<string> Lines)
{
    public static string IdOf(NoticeKind kind, string unit, string? form, string? period, string day, string? detail = null) =>
        string.Join('|', new[] { kind.ToString().ToLowerInvariant(), form ?? "-", period ?? "-", unit, day, detail }.Where(p => p is not null));
}

/// <summary>Who a unit's notices go to. Addresses are personal data: they are never logged.</summary>
public sealed record UnitContacts(IReadOnlyList<string> Emails, string? WebhookUrl);
