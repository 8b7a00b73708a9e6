using Qcdc.Localization;

namespace Qcdc.Functions.Problems;

/// <summary>Problem titles and the details that the app adds itself, in English and Vietnamese.</summary>
internal static class ProblemTexts
{
    private static readonly Dictionary<int, LocalizedText> Titles = new()
    {
        [400] = new("Bad request", "Yêu cầu không hợp lệ"),
        [401] = new("Unauthorized", "Chưa xác thực"),
        [403] = new("Forbidden", "Không có quyền"),
        [404] = new("Not found", "Không tìm thấy"),
        [405] = new("Method not allowed", "Phương thức không được hỗ trợ"),
        [406] = new("Not acceptable", "Không chấp nhận được định dạng yêu cầu"),
        [409] = new("Conflict", "Xung đột dữ liệu"),
        [412] = new("Precondition failed", "Dữ liệu đã bị thay đổi bởi người khác"),
        [413] = new("Content too large", "Nội dung quá lớn"),
        [415] = new("Unsupported media type", "Kiểu nội dung không được hỗ trợ"),
        [422] = new("Unprocessable content", "Dữ liệu không hợp lệ"),
        [428] = new("Precondition required", "Thiếu điều kiện If-Match"),
        [429] = new("Too many requests", "Quá nhiều yêu cầu"),
        [500] = new("Internal server error", "Lỗi máy chủ"),
        [503] = new("Service unavailable", "Dịch vụ tạm thời không khả dụng"),
    };

    public static readonly LocalizedText RouteNotFound =
        new("There is no resource at this address.", "Không có tài nguyên nào tại địa chỉ này.");

    public static readonly LocalizedText MethodNotAllowed =
        new("This address does not accept the {0} method.", "Địa chỉ này không nhận phương thức {0}.");

    public static readonly LocalizedText Unexpected =
        new("An unexpected error occurred. It has been logged; quote the trace id when reporting it.",
            "Đã xảy ra lỗi không mong muốn. Lỗi đã được ghi nhận; hãy cung cấp mã traceId khi báo lỗi.");

    public static readonly LocalizedText StorageUnavailable =
        new("Storage is not reachable at the moment. Nothing was written; retry after the time in Retry-After.",
            "Hiện không kết nối được kho dữ liệu. Chưa có dữ liệu nào được ghi; hãy thử lại sau thời gian trong Retry-After.");

    public static readonly LocalizedText MalformedJson =
        new("The request body is not valid JSON: {0}", "Nội dung yêu cầu không phải JSON hợp lệ: {0}");

    public static readonly LocalizedText BodyTooLarge =
        new("The request body is larger than this address accepts.", "Nội dung yêu cầu vượt quá giới hạn cho phép của địa chỉ này.");

    public static readonly LocalizedText BadRequest =
        new("The request could not be read.", "Không đọc được yêu cầu.");

    public static string? Title(int status) => Titles.TryGetValue(status, out var title) ? title.Current : null;

    /// <summary>True when <paramref name="title"/> is empty or a framework default that should be localized.</summary>
    public static bool IsDefaultTitle(int status, string? title) =>
        string.IsNullOrEmpty(title)
        || (Titles.TryGetValue(status, out var known) && string.Equals(title, known.En, StringComparison.OrdinalIgnoreCase))
        || Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) == title
        || title.StartsWith("One or more validation errors", StringComparison.Ordinal)
        || title == "An error occurred while processing your request.";
}
