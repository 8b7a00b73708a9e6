using Qcdc.Localization;

namespace Qcdc.Submissions;

/// <summary>Every message about reports, in English and Vietnamese, and the names of their statuses.</summary>
public static class SubmissionTexts
{
    // Reports and their workflow.
    public static readonly LocalizedText NothingSaved = new(
        "None of the values could be saved: {0} problem(s); nothing was written.", "Không lưu được giá trị nào: {0} lỗi; chưa có dữ liệu nào được ghi.");
    public static readonly LocalizedText ChecksBlock = new(
        "The report cannot be submitted: {0} error(s) to correct first (warnings never block).",
        "Chưa gửi được báo cáo: còn {0} lỗi cần sửa (các cảnh báo không ngăn việc gửi).");
    public static readonly LocalizedText NoSuchCheck = new("The report has no check {0} now.", "Báo cáo hiện không có kiểm tra {0}.");
    public static readonly LocalizedText CommentNeeded = new("Write a comment (1 to 2000 characters).", "Cần ghi ý kiến (1 đến 2000 ký tự).");
    public static readonly LocalizedText NoSuchFollowUp = new("The report has no open follow-up {0}.", "Báo cáo không có đề nghị kiểm tra lại {0} đang mở.");
    public static readonly LocalizedText InvalidValues = new("The report has {0} problem(s); nothing was written.", "Báo cáo có {0} lỗi; chưa có dữ liệu nào được ghi.");
    public static readonly LocalizedText NotEditable = new("The report is {0}; it can change only after a reviewer returns it.", "Báo cáo đang ở trạng thái {0}; chỉ sửa được sau khi người duyệt trả lại.");
    public static readonly LocalizedText OnlySubmitted = new("The report is {0}; only a submitted report can be reviewed.", "Báo cáo đang ở trạng thái {0}; chỉ duyệt được báo cáo đã gửi.");
    public static readonly LocalizedText NoSubmission = new("There is no report for this unit and period yet.", "Chưa có báo cáo của đơn vị cho kỳ này.");
    public static readonly LocalizedText IfMatchRequired = new("The report exists: send If-Match with its ETag ({0}) to change it.", "Báo cáo đã tồn tại: hãy gửi If-Match với ETag ({0}) để sửa.");
    public static readonly LocalizedText IfMatchConcrete = new(
        "If-Match: * does not protect a report from a lost update: send its ETag ({0}).",
        "If-Match: * không bảo vệ báo cáo khỏi bị ghi đè: hãy gửi ETag của báo cáo ({0}).");
    public static readonly LocalizedText IfMatchMalformed = new(
        "If-Match must be * or a list of entity tags such as \"3\" (RFC 9110).", "If-Match phải là * hoặc danh sách thẻ thực thể, ví dụ \"3\" (RFC 9110).");
    public static readonly LocalizedText Stale = new("The report changed since you read it (now {0}); read it again and retry.", "Báo cáo đã thay đổi kể từ khi bạn tải (hiện là {0}); hãy tải lại rồi thử lại.");
    public static readonly LocalizedText KeyReused = new("This Idempotency-Key was already used for a different request.", "Idempotency-Key này đã được dùng cho một yêu cầu khác.");
    public static readonly LocalizedText WrongPeriodType = new("{0} is not a period of form {1} ({2}).", "{0} không phải kỳ của biểu mẫu {1} ({2}).");
    public static readonly LocalizedText UnitNotActive = new("Unit {0} does not exist or is not active at the end of {1}.", "Đơn vị {0} không tồn tại hoặc không còn hiệu lực vào cuối kỳ {1}.");
    public static readonly LocalizedText NotApplicable = new("Form {0} does not apply to units of kind {1}.", "Biểu mẫu {0} không áp dụng cho loại đơn vị {1}.");
    public static readonly LocalizedText NotStarted = new("Period {0} has not started: its data open on {1}.", "Kỳ {0} chưa bắt đầu: số liệu được mở từ ngày {1}.");
    public static readonly LocalizedText Locked = new("Period {0} locked after {1}; only an administrator may back-fill it.", "Kỳ {0} đã khóa sau ngày {1}; chỉ quản trị viên được bổ sung.");

    // Request bodies and lists.
    public static readonly LocalizedText BodyShape = new("The body must be {\"values\": {indicator: value, …}}.", "Nội dung phải có dạng {\"values\": {chỉ tiêu: giá trị, …}}.");
    public static readonly LocalizedText ReasonNeeded = new("Give the reason for returning the report (up to 2000 characters).", "Hãy ghi lý do trả lại báo cáo (tối đa 2000 ký tự).");
    public static readonly LocalizedText UnderNeeded = new("Name the unit whose subtree to list (?under=).", "Cần ghi đơn vị cần liệt kê (?under=).");
    public static readonly LocalizedText BadStatus = new("'{0}' is not a status (draft, submitted, approved, returned).", "'{0}' không phải trạng thái (draft, submitted, approved, returned).");
    public static readonly LocalizedText BadToken = new("The continuation token is not one this list gave.", "Mã tiếp tục không hợp lệ.");
    public static readonly LocalizedText BadPageSize = new("pageSize must be between 1 and 1000.", "pageSize phải từ 1 đến 1000.");

    // Values.
    public static readonly LocalizedText ValuesNotObject = new("values must be a JSON object keyed by indicator code.", "values phải là đối tượng JSON theo mã chỉ tiêu.");
    public static readonly LocalizedText NotAsked = new(
        "{0}: this indicator is not asked of this kind of unit; the value was not saved.",
        "{0}: chỉ tiêu này không áp dụng cho loại đơn vị của bạn; giá trị không được lưu.");
    public static readonly LocalizedText UnknownIndicator = new("{0} is not an indicator of form {1} version {2}.", "{0} không phải chỉ tiêu của biểu mẫu {1} phiên bản {2}.");
    public static readonly LocalizedText Required = new("{0} is required before submitting.", "Cần nhập {0} trước khi gửi báo cáo.");
    public static readonly LocalizedText ExpectedText = new("{0}: expected text.", "{0}: cần nhập văn bản.");
    public static readonly LocalizedText TextTooLong = new("{0}: at most {1} characters (got {2}).", "{0}: tối đa {1} ký tự (đã nhập {2}).");
    public static readonly LocalizedText ExpectedBoolean = new("{0}: expected true or false.", "{0}: cần nhập true hoặc false.");
    public static readonly LocalizedText ExpectedRatio = new("{0}: expected {{\"numerator\": n, \"denominator\": d}}.", "{0}: cần nhập dạng {{\"numerator\": tử số, \"denominator\": mẫu số}}.");
    public static readonly LocalizedText NotRatioPart = new("{0}: '{1}' is not part of a ratio (numerator, denominator).", "{0}: '{1}' không thuộc tỷ lệ (numerator, denominator).");
    public static readonly LocalizedText RatioParts = new("{0}: give both numerator and denominator.", "{0}: cần nhập cả tử số và mẫu số.");
    public static readonly LocalizedText ExpectedCategories = new("{0}: expected an object of categories ({1}).", "{0}: cần nhập theo các nhóm ({1}).");
    public static readonly LocalizedText UnknownCategory = new("{0}: '{1}' is not one of its categories ({2}).", "{0}: '{1}' không phải nhóm của chỉ tiêu ({2}).");
    public static readonly LocalizedText MissingCategory = new("{0}: give the category '{1}' ({2}), 0 if none.", "{0}: cần nhập nhóm '{1}' ({2}), ghi 0 nếu không có.");
    public static readonly LocalizedText TotalMismatch = new("{0}: total {1} is not the sum of its categories ({2}).", "{0}: tổng {1} không bằng tổng các nhóm ({2}).");
    public static readonly LocalizedText ExpectedNumber = new("{0}: expected a number.", "{0}: cần nhập số.");
    public static readonly LocalizedText BelowMinimum = new("{0}: must not be negative or below {1} (got {2}).", "{0}: không được âm hoặc nhỏ hơn {1} (đã nhập {2}).");
    public static readonly LocalizedText AboveMaximum = new("{0}: must be at most {1} (got {2}).", "{0}: không được lớn hơn {1} (đã nhập {2}).");
    public static readonly LocalizedText WholeNumber = new("{0}: must be a whole number (got {2}).", "{0}: phải là số nguyên (đã nhập {2}).");
    public static readonly LocalizedText DecimalPlaces = new("{0}: at most {1} decimal places (got {2}).", "{0}: tối đa {1} chữ số thập phân (đã nhập {2}).");

    /// <summary>The name of a status, as pages, documents and messages show it.</summary>
    public static LocalizedText Status(SubmissionStatus status) => status switch
    {
        SubmissionStatus.Draft => new("draft", "nháp"),
        SubmissionStatus.Submitted => new("submitted", "đã gửi"),
        SubmissionStatus.Approved => new("approved", "đã duyệt"),
        SubmissionStatus.Returned => new("returned", "bị trả lại"),
    };

    /// <summary>The name of an action in a report's history.</summary>
    public static LocalizedText Action(SubmissionAction action) => action switch
    {
        SubmissionAction.Created => new("created", "tạo mới"),
        SubmissionAction.Updated => new("updated", "cập nhật"),
        SubmissionAction.Submitted => new("submitted", "gửi"),
        SubmissionAction.Approved => new("approved", "duyệt"),
        SubmissionAction.Returned => new("returned", "trả lại"),
        SubmissionAction.Imported => new("imported", "nhập từ tệp"),
        SubmissionAction.FollowUpRaised => new("marked for follow-up", "đề nghị kiểm tra lại"),
        SubmissionAction.FollowUpAnswered => new("answered a follow-up", "trả lời đề nghị kiểm tra lại"),
    };
}
