using Qcdc.Localization;

namespace Qcdc.Submissions;

/// <summary>The messages of the submission rules, in English and Vietnamese.</summary>
internal static class Texts
{
    public static readonly LocalizedText InvalidValues = new("The report has {0} problem(s); nothing was written.", "Báo cáo có {0} lỗi; chưa có dữ liệu nào được ghi.");
    public static readonly LocalizedText NotEditable = new("The report is {0}; it can change only after a reviewer returns it.", "Báo cáo đang ở trạng thái {0}; chỉ sửa được sau khi người duyệt trả lại.");
    public static readonly LocalizedText OnlySubmitted = new("The report is {0}; only a submitted report can be reviewed.", "Báo cáo đang ở trạng thái {0}; chỉ duyệt được báo cáo đã gửi.");
    public static readonly LocalizedText NoSubmission = new("There is no report for this unit and period yet.", "Chưa có báo cáo của đơn vị cho kỳ này.");
    public static readonly LocalizedText IfMatchRequired = new("The report exists: send If-Match with its ETag ({0}) to change it.", "Báo cáo đã tồn tại: hãy gửi If-Match với ETag ({0}) để sửa.");
    public static readonly LocalizedText Stale = new("The report changed since you read it (now {0}); read it again and retry.", "Báo cáo đã thay đổi kể từ khi bạn tải (hiện là {0}); hãy tải lại rồi thử lại.");
    public static readonly LocalizedText KeyReused = new("This Idempotency-Key was already used for a different request.", "Idempotency-Key này đã được dùng cho một yêu cầu khác.");
    public static readonly LocalizedText WrongPeriodType = new("{0} is not a period of form {1} ({2}).", "{0} không phải kỳ của biểu mẫu {1} ({2}).");
    public static readonly LocalizedText UnitNotActive = new("Unit {0} does not exist or is not active at the end of {1}.", "Đơn vị {0} không tồn tại hoặc không còn hiệu lực vào cuối kỳ {1}.");
    public static readonly LocalizedText NotApplicable = new("Form {0} does not apply to units of kind {1}.", "Biểu mẫu {0} không áp dụng cho loại đơn vị {1}.");
    public static readonly LocalizedText NotStarted = new("Period {0} has not started: its data open on {1}.", "Kỳ {0} chưa bắt đầu: số liệu được mở từ ngày {1}.");
    public static readonly LocalizedText Locked = new("Period {0} locked after {1}; only an administrator may back-fill it.", "Kỳ {0} đã khóa sau ngày {1}; chỉ quản trị viên được bổ sung.");

    public static LocalizedText Status(SubmissionStatus status) => status switch
    {
        SubmissionStatus.Draft => new("draft", "nháp"),
        SubmissionStatus.Submitted => new("submitted", "đã gửi"),
        SubmissionStatus.Approved => new("approved", "đã duyệt"),
        _ => new("returned", "bị trả lại"),
    };
}
