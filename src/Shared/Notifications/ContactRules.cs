using System.Text.Json;
using MimeKit;
using Qcdc.Localization;
using Qcdc.Problems;

namespace Qcdc.Notifications;

/// <summary>What a unit's contacts may be: up to 20 e-mail addresses and one http(s) webhook URL.</summary>
public static class ContactRules
{
    public const int MaxEmails = 20;

    public static (UnitContacts? Contacts, Refusal? Refusal) Read(JsonElement body)
    {
        var problems = new List<FieldProblem>();
        if (body.ValueKind != JsonValueKind.Object || body.EnumerateObject().Any(p => p.Name is not ("emails" or "webhookUrl"))
            || !body.TryGetProperty("emails", out var emails) || emails.ValueKind != JsonValueKind.Array)
        {
            return (null, Refusal.About(RefusalKind.BadRequest, "emails", ContactTexts.Shape));
        }
        var list = new List<string>();
        var index = 0;
        foreach (var email in emails.EnumerateArray())
        {
            var text = email.ValueKind == JsonValueKind.String ? email.GetString()!.Trim() : null;
            if (text is null || text.Length > 254 || !MailboxAddress.TryParse(text, out var address) || address.Address != text || !text.Contains('@', StringComparison.Ordinal))
            {
                problems.Add(new FieldProblem($"emails[{index}]", ContactTexts.BadEmail.Format(index + 1)));
            }
            else if (!list.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                list.Add(text);
            }
            index++;
        }
        if (index > MaxEmails)
        {
            problems.Add(new FieldProblem("emails", ContactTexts.TooMany.Format(MaxEmails)));
        }
        string? webhook = null;
        if (body.TryGetProperty("webhookUrl", out var url) && url.ValueKind != JsonValueKind.Null)
        {
            webhook = url.ValueKind == JsonValueKind.String ? url.GetString()!.Trim() : null;
            if (webhook is null || webhook.Length > 2000 || !Uri.TryCreate(webhook, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0)
            {
                problems.Add(new FieldProblem("webhookUrl", ContactTexts.BadWebhook));
            }
        }
        return problems.Count > 0
            ? (null, new Refusal(RefusalKind.Invalid, problems[0].Message, problems))
            : (new UnitContacts(list, webhook), null);
    }
}

public static class ContactTexts
{
    public static readonly LocalizedText Shape = new(
        "The body must be {\"emails\": [\"…\"], \"webhookUrl\": \"…\"} (webhookUrl optional).",
        "Nội dung phải có dạng {\"emails\": [\"…\"], \"webhookUrl\": \"…\"} (webhookUrl không bắt buộc).");
    public static readonly LocalizedText BadEmail = new("E-mail address {0} is not a valid address.", "Địa chỉ thư điện tử thứ {0} không hợp lệ.");
    public static readonly LocalizedText TooMany = new("At most {0} e-mail addresses per unit.", "Mỗi đơn vị tối đa {0} địa chỉ thư điện tử.");
    public static readonly LocalizedText BadWebhook = new(
        "webhookUrl must be an absolute http(s) URL without credentials (at most 2000 characters).",
        "webhookUrl phải là địa chỉ http(s) đầy đủ, không chứa tên đăng nhập hay mật khẩu (tối đa 2000 ký tự).");
    public static readonly LocalizedText NoContacts = new("No contacts are recorded for unit {0}.", "Chưa có người nhận thông báo của đơn vị {0}.");
    public static readonly LocalizedText UnknownJob = new("There is no job named {0}.", "Không có tác vụ tên {0}.");
    public static readonly LocalizedText BadStatus = new("status must be pending, sent or failed.", "status phải là pending, sent hoặc failed.");
}
