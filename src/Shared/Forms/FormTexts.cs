using Qcdc.Localization;

namespace Qcdc.Forms;

/// <summary>Every message about forms and their definitions, in English and Vietnamese.</summary>
public static class FormTexts
{
    public static readonly LocalizedText BadCode = new("'{0}' is not a valid form code ([A-Z0-9-], 1 to 40 characters).", "'{0}' không phải mã biểu mẫu hợp lệ.");
    public static readonly LocalizedText NoTitle = new("The form has no title.", "Biểu mẫu chưa có tiêu đề.");
    public static readonly LocalizedText NoKinds = new("Name at least one kind of unit the form applies to.", "Cần ít nhất một loại đơn vị áp dụng biểu mẫu.");
    public static readonly LocalizedText UnknownKind = new("Unknown unit kind '{0}'.", "Loại đơn vị '{0}' không tồn tại.");
    public static readonly LocalizedText NoIndicators = new("The form has no indicators.", "Biểu mẫu chưa có chỉ tiêu nào.");
    public static readonly LocalizedText BadIndicatorCode = new("'{0}' is not a valid indicator code ([a-z][a-z0-9_]{{0,62}}).", "'{0}' không phải mã chỉ tiêu hợp lệ.");
    public static readonly LocalizedText DuplicateIndicator = new("The indicator {0} appears more than once.", "Chỉ tiêu {0} xuất hiện nhiều lần.");
    public static readonly LocalizedText NoLabel = new("The indicator {0} has no label.", "Chỉ tiêu {0} chưa có tên.");
    public static readonly LocalizedText RuleNotNumeric = new(
        "A rule names {0}, which is not a numeric cell of this form (a ratio is read by its .numerator and .denominator).",
        "Quy tắc dẫn chiếu {0}, không phải ô số liệu dạng số của biểu mẫu (tỷ lệ được đọc qua .numerator và .denominator).");
    public static readonly LocalizedText BadExpression = new("'{0}' is not an expression of cells and constants ({1}).", "'{0}' không phải biểu thức của các ô và hằng số ({1}).");
    public static readonly LocalizedText BadRuleId = new("'{0}' is not a valid rule id, or is given twice ([a-z0-9-], 1 to 64 characters).", "'{0}' không phải mã quy tắc hợp lệ hoặc bị trùng.");
    public static readonly LocalizedText RuleDescriptionTooLong = new("A rule's description holds at most 500 characters.", "Mô tả quy tắc tối đa 500 ký tự.");
    public static readonly LocalizedText BadLockDays = new("lockAfterDays must be between 0 and 3660.", "Số ngày khóa kỳ phải từ 0 đến 3660.");
    public static readonly LocalizedText BadDeadline = new("Give either workingDaysAfterCutoff (0–60) or dayOfLastMonth (1–31).", "Cần ghi một trong hai: số ngày làm việc sau ngày chốt số liệu (0–60) hoặc ngày của tháng cuối kỳ (1–31).");
    public static readonly LocalizedText BadAcross = new("{0} cannot be aggregated across the hierarchy by {1}.", "Chỉ tiêu {0} không thể tổng hợp theo cấp bằng quy tắc {1}.");
    public static readonly LocalizedText TextOverTime = new("Text indicator {0} is not aggregated over time.", "Chỉ tiêu văn bản {0} không tổng hợp theo thời gian.");
    public static readonly LocalizedText CategoriesNotNumeric = new("Only numeric indicators can be split into categories ({0}).", "Chỉ chỉ tiêu dạng số mới được chia theo nhóm ({0}).");
    public static readonly LocalizedText BadCategories = new("The categories of {0} must be distinct codes ([a-z][a-z0-9_]*, not 'total').", "Các nhóm của {0} phải có mã khác nhau, hợp lệ và khác 'total'.");
    public static readonly LocalizedText MinAboveMax = new("The minimum of {0} is above its maximum.", "Giá trị nhỏ nhất của {0} lớn hơn giá trị lớn nhất.");
    public static readonly LocalizedText BadDecimalPlaces = new("decimalPlaces of {0} must be between 0 and 6.", "Số chữ số thập phân của {0} phải từ 0 đến 6.");
    public static readonly LocalizedText BadMaxLength = new("maxLength of {0} must be between 1 and 30000.", "Độ dài tối đa của {0} phải từ 1 đến 30000.");
    public static readonly LocalizedText UnknownVersion = new("Form {0} has no version {1}.", "Biểu mẫu {0} không có phiên bản {1}.");
    public static readonly LocalizedText TooLarge = new("The form definition is too large to store.", "Định nghĩa biểu mẫu quá lớn.");
    public static readonly LocalizedText Concurrent = new(
        "Another version of {0} was published at the same time; read the form again and retry.",
        "Một phiên bản khác của {0} vừa được ban hành cùng lúc; hãy tải lại biểu mẫu và thử lại.");
    public static readonly LocalizedText Invalid = new("The form definition has {0} problem(s); nothing was published.", "Định nghĩa biểu mẫu có {0} lỗi; chưa ban hành phiên bản nào.");
    public static readonly LocalizedText BadYear = new("year must be a year between 2000 and 2100.", "year phải là năm từ 2000 đến 2100.");
    public static readonly LocalizedText BadEffectiveFrom = new("effectiveFrom must be a quarter such as 2025Q3 (got '{0}').", "effectiveFrom phải là một quý, ví dụ 2025Q3 (đã nhập '{0}').");
    public static readonly LocalizedText SectionNoTitle = new("Section {0} has no title.", "Mục {0} chưa có tiêu đề.");
    public static readonly LocalizedText SectionUnknownIndicator = new("Section {0} names '{1}', which is not an indicator of the form.", "Mục {0} nêu chỉ tiêu '{1}' không có trong biểu mẫu.");
    public static readonly LocalizedText SectionTwice = new("Indicator '{0}' is in more than one section.", "Chỉ tiêu '{0}' nằm ở nhiều hơn một mục.");
    public static readonly LocalizedText BadSentence = new(
        "The sentence of '{0}' must be at most 300 characters and use only {{value}}, {{categories}} and the codes of other indicators of the form in braces.",
        "Câu mẫu của chỉ tiêu '{0}' dài tối đa 300 ký tự và chỉ dùng {{value}}, {{categories}} và mã các chỉ tiêu khác của biểu mẫu trong ngoặc nhọn.");
    public static readonly LocalizedText AppliesToOutside = new(
        "{0} is asked of '{1}', which is not a kind of unit the form applies to.",
        "Chỉ tiêu {0} áp dụng cho loại đơn vị '{1}', không thuộc các loại đơn vị của biểu mẫu.");
}
