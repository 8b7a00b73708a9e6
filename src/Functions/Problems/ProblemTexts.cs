using Qcdc.Localization;

namespace Qcdc.Functions.Problems;

/// <summary>Problem titles, type URIs and the details the HTTP layer adds itself, in English and Vietnamese.</summary>
internal static class ProblemTexts
{
    private static readonly Dictionary<int, (LocalizedText Title, string Type)> Statuses = new()
    {
        [400] = (new("Bad request", "Yêu cầu không hợp lệ"), "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1"),
        [401] = (new("Unauthorized", "Chưa xác thực"), "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2"),
        [403] = (new("Forbidden", "Không có quyền"), "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4"),
        [404] = (new("Not found", "Không tìm thấy"), "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5"),
        [405] = (new("Method not allowed", "Phương thức không được hỗ trợ"), "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6"),
        [406] = (new("Not acceptable", "Không chấp nhận được định dạng yêu cầu"), "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.7"),
        [409] = (new("Conflict", "Xung đột dữ liệu"), "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10"),
        [412] = (new("Precondition failed", "Dữ liệu đã bị thay đổi bởi người khác"), "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.13"),
        [413] = (new("Content too large", "Nội dung quá lớn"), "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14"),
        [415] = (new("Unsupported media type", "Kiểu nội dung không được hỗ trợ"), "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16"),
        [422] = (new("Unprocessable content", "Dữ liệu không hợp lệ"), "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21"),
        [428] = (new("Precondition required", "Thiếu điều kiện If-Match"), "https://www.rfc-editor.org/rfc/rfc6585#section-3"),
        [429] = (new("Too many requests", "Quá nhiều yêu cầu"), "https://www.rfc-editor.org/rfc/rfc6585#section-4"),
        [500] = (new("Internal server error", "Lỗi máy chủ"), "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1"),
        [503] = (new("Service unavailable", "Dịch vụ tạm thời không khả dụng"), "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4"),
    };

    public static readonly LocalizedText RouteNotFound =
        new("There is no resource at this address.", "Không có tài nguyên nào tại địa chỉ này.");

    public static readonly LocalizedText MethodNotAllowed =
        new("This address does not accept the {0} method.", "Địa chỉ này không nhận phương thức {0}.");

    public static readonly LocalizedText SendJson =
        new("Send the body as JSON (Content-Type: application/json).", "Hãy gửi nội dung dạng JSON (Content-Type: application/json).");

    public static readonly LocalizedText SendMergePatch =
        new("Send the changes as a JSON merge patch (Content-Type: application/merge-patch+json).",
            "Hãy gửi phần thay đổi dạng JSON merge patch (Content-Type: application/merge-patch+json).");

    public static readonly LocalizedText Unexpected =
        new("An unexpected error occurred. It has been logged; quote the trace id when reporting it.",
            "Đã xảy ra lỗi không mong muốn. Lỗi đã được ghi nhận; hãy cung cấp mã traceId khi báo lỗi.");

    public static readonly LocalizedText StorageUnavailable =
        new("The storage did not answer in time. Your report was not lost: nothing was changed, or the change is kept and a retry with the same Idempotency-Key answers it. Try again after the time in Retry-After.",
            "Kho dữ liệu không trả lời kịp. Báo cáo của bạn không bị mất: chưa có gì thay đổi, hoặc thay đổi đã được lưu và gửi lại với cùng Idempotency-Key sẽ nhận được kết quả. Hãy thử lại sau thời gian trong Retry-After.");

    public static readonly LocalizedText StorageUnavailableRead =
        new("The storage did not answer in time; nothing was changed. Try again after the time in Retry-After.",
            "Kho dữ liệu không trả lời kịp; chưa có gì thay đổi. Hãy thử lại sau thời gian trong Retry-After.");

    public static readonly LocalizedText StorageUnavailableWrite =
        new("The storage did not answer in time: the request may or may not have been carried out. Look at what it was to change before sending it again, after the time in Retry-After.",
            "Kho dữ liệu không trả lời kịp: yêu cầu có thể đã hoặc chưa được thực hiện. Hãy xem lại nội dung cần thay đổi trước khi gửi lại, sau thời gian trong Retry-After.");

    public static readonly LocalizedText MalformedJson =
        new("The request body is not valid JSON (line {0}, byte {1}).", "Nội dung yêu cầu không phải JSON hợp lệ (dòng {0}, byte {1}).");

    public static readonly LocalizedText WrongShape =
        new("The request body does not have the expected shape at {0}: a value has the wrong type or a required field is missing.",
            "Nội dung yêu cầu không đúng cấu trúc tại {0}: có giá trị sai kiểu hoặc thiếu trường bắt buộc.");

    public static readonly LocalizedText NotUtf8 =
        new("The request body is not UTF-8 text.", "Nội dung yêu cầu không phải văn bản UTF-8.");

    public static readonly LocalizedText BadUnicode =
        new("The request body holds text that is not valid Unicode (a lone surrogate) at {0}.", "Nội dung yêu cầu có ký tự Unicode không hợp lệ (nửa cặp surrogate) tại {0}.");

    public static readonly LocalizedText DuplicateKey =
        new("The request body names '{0}' twice in the same object at {1}.", "Nội dung yêu cầu có khóa '{0}' lặp lại trong cùng một đối tượng tại {1}.");

    public static readonly LocalizedText TooDeep =
        new("The request body is nested too deeply.", "Nội dung yêu cầu lồng nhau quá sâu.");

    public static readonly LocalizedText BadRequest =
        new("The request could not be read.", "Không đọc được yêu cầu.");

    public static readonly LocalizedText IdempotencyKeyFormat =
        new("Idempotency-Key must be 1 to 255 printable ASCII characters.", "Idempotency-Key phải gồm 1 đến 255 ký tự ASCII in được.");

    public static string? Title(int status) => Statuses.TryGetValue(status, out var known) ? known.Title.Current : null;

    public static string Type(int status) => Statuses.TryGetValue(status, out var known) ? known.Type : "about:blank";

    /// <summary>True when <paramref name="title"/> is empty or a framework default that should be localized.</summary>
    public static bool IsDefaultTitle(int status, string? title) =>
        string.IsNullOrEmpty(title)
        || (Statuses.TryGetValue(status, out var known) && string.Equals(title, known.Title.En, StringComparison.OrdinalIgnoreCase))
        || Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) == title
        || title.StartsWith("One or more validation errors", StringComparison.Ordinal)
        || title == "An error occurred while processing your request.";
}
