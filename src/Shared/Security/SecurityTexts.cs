using Qcdc.Localization;

namespace Qcdc.Security;

/// <summary>Every message about keys, sessions and access, in English and Vietnamese.</summary>
public static class SecurityTexts
{
    public static readonly LocalizedText MissingKey = new(
        "Send an API key as 'Authorization: ApiKey <key>', or sign in.", "Hãy gửi khóa API dạng 'Authorization: ApiKey <khóa>' hoặc đăng nhập.");
    public static readonly LocalizedText BadKey = new(
        "The API key is not valid, has expired or was revoked.", "Khóa API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.");
    public static readonly LocalizedText SessionEnded = new(
        "Your session has ended; sign in again.", "Phiên làm việc đã kết thúc; hãy đăng nhập lại.");
    public static readonly LocalizedText NotInSubtree = new(
        "This key's unit is not this unit or above it.", "Đơn vị của khóa này không phải đơn vị này hoặc đơn vị cấp trên của nó.");
    public static readonly LocalizedText RoleNotAllowed = new(
        "This key's role ({0}) may not do this.", "Vai trò của khóa này ({0}) không được thực hiện thao tác này.");
    public static readonly LocalizedText UnknownUnit = new(
        "The unit named in the address does not exist.", "Đơn vị trong địa chỉ không tồn tại.");
    public static readonly LocalizedText AntiforgeryMissing = new(
        "A signed-in page must send its anti-forgery token (X-CSRF-Token) with every change.",
        "Trang đã đăng nhập phải gửi mã chống giả mạo (X-CSRF-Token) kèm mỗi thay đổi.");
    public static readonly LocalizedText SignInShape = new(
        "Send {\"key\": \"qcdc_…\"} to sign in.", "Hãy gửi {\"key\": \"qcdc_…\"} để đăng nhập.");
    public static readonly LocalizedText UnknownRole = new("Unknown role '{0}' (reporter, reviewer or admin).", "Vai trò '{0}' không tồn tại (reporter, reviewer hoặc admin).");
    public static readonly LocalizedText PastExpiry = new("expiresAt is in the past.", "Thời hạn đã qua.");
    public static readonly LocalizedText LongLabel = new("The {0} is longer than 200 characters.", "Trường {0} dài quá 200 ký tự.");
    public static readonly LocalizedText UnknownKey = new("There is no key {0}.", "Không có khóa {0}.");
    public static readonly LocalizedText TooMany = new("Too many requests; retry after the time in Retry-After.", "Quá nhiều yêu cầu; hãy thử lại sau thời gian trong Retry-After.");
    public static readonly LocalizedText InvalidKeyRequest = new("The key request has {0} problem(s); no key was issued.", "Yêu cầu cấp khóa có {0} lỗi; chưa cấp khóa nào.");

    /// <summary>The name of a role, as pages show it.</summary>
    public static LocalizedText Role(string role) => role switch
    {
        Roles.Reporter => new("reporter", "người báo cáo"),
        Roles.Reviewer => new("reviewer", "người duyệt"),
        Roles.Admin => new("administrator", "quản trị"),
        _ => new(role, role),
    };
}
