using System.Globalization;
using Qcdc.Forms;
using Qcdc.Periods;
using Qcdc.Submissions;

namespace Qcdc.Notifications;

/// <summary>What notices say, in Vietnamese: the form, the period, the deadline and a link to the page.</summary>
public static class NoticeTexts
{
    private static readonly string[] Roman = ["I", "II", "III", "IV"];

    /// <summary>"quý III năm 2024", "năm 2025", "giai đoạn 2021–2025".</summary>
    public static string PeriodName(Period period) => period.Type switch
    {
        PeriodType.Quarter => $"quý {Roman[period.FirstQuarter % 4]} năm {period.FirstQuarter / 4}",
        PeriodType.HalfYear => period.FirstQuarter % 4 == 0 ? $"6 tháng đầu năm {period.FirstQuarter / 4}" : $"6 tháng cuối năm {period.FirstQuarter / 4}",
        PeriodType.Year => $"năm {period.FirstQuarter / 4}",
        _ => $"giai đoạn {period.Key}",
    };

    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => at.ToOffset(VietnamTime.Offset).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string LinkLine(string? link) => link is null ? "" : $"\n\nMở báo cáo: {link}";

    public static string Returned(FormDefinition form, string periodName, string unitName, string? reason, string? link) =>
        $"Báo cáo \"{form.Title}\" ({form.Code}) {periodName} của {unitName} đã bị trả lại để sửa.\n\nLý do: {reason ?? "(không ghi)"}\n\n"
        + "Hãy sửa và gửi lại báo cáo trước hạn." + LinkLine(link);

    public static string SubmittedLine(FormDefinition form, string periodName, string unitName, NoticeEvent change, string? link) =>
        $"{unitName} đã gửi báo cáo {form.Code} {periodName} lúc {Time(change.At)}{(change.Late ? " (trễ hạn)" : "")}." + (link is null ? "" : $" {link}");

    public static string ApprovedLine(FormDefinition form, string periodName, NoticeEvent change, string? link) =>
        $"Báo cáo {form.Code} {periodName} đã được duyệt lúc {Time(change.At)}." + (link is null ? "" : $" {link}");

    public static string DigestSubject(string unitName, DateOnly day) => $"Tổng hợp báo cáo trong ngày {Date(day)} — {unitName}";

    public static string DigestBody(string? link) => "Các báo cáo đã gửi và đã duyệt trong ngày:" + (link is null ? "" : $"\n(Trang làm việc: {link})");

    public static string ReminderSubject(string periodName, DateOnly deadline, DateOnly today) => (today.DayNumber - deadline.DayNumber) switch
    {
        < 0 => $"Nhắc hạn nộp báo cáo {periodName}: còn {deadline.DayNumber - today.DayNumber} ngày",
        0 => $"Hôm nay là hạn nộp báo cáo {periodName}",
        _ => $"Báo cáo {periodName} đã quá hạn {today.DayNumber - deadline.DayNumber} ngày",
    };

    public static string Reminder(FormDefinition form, string periodName, string unitName, DateOnly deadline, DateOnly today, string? link) =>
        $"{unitName} chưa gửi báo cáo \"{form.Title}\" ({form.Code}) {periodName}. Hạn nộp: {Date(deadline)}"
        + (today > deadline ? $" (đã quá hạn {today.DayNumber - deadline.DayNumber} ngày)." : ".") + LinkLine(link);

    public static string Missing(FormDefinition form, string periodName, string reviewerName, string? link) =>
        $"Các đơn vị thuộc {reviewerName} chưa gửi báo cáo \"{form.Title}\" ({form.Code}) {periodName}:" + (link is null ? "" : $"\n(Xem tiến độ: {link})");
}
