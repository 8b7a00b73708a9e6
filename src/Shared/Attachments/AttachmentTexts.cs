using Qcdc.Localization;

namespace Qcdc.Attachments;

/// <summary>The messages of the attachment rules, in English and Vietnamese.</summary>
public static class AttachmentTexts
{
    public static readonly LocalizedText Invalid = new("The attachment has {0} problem(s); nothing was written.", "Tệp đính kèm có {0} lỗi; chưa có dữ liệu nào được ghi.");
    public static readonly LocalizedText BodyShape = new(
        "The body must be {{\"fileName\", \"contentType\", \"size\", \"sha256\"}}; '{0}' is not one of them.",
        "Nội dung phải gồm {{\"fileName\", \"contentType\", \"size\", \"sha256\"}}; '{0}' không thuộc danh sách này.");
    public static readonly LocalizedText FileNameNeeded = new("Give the file's name (at most {0} characters).", "Hãy ghi tên tệp (tối đa {0} ký tự).");
    public static readonly LocalizedText FileNameWithPath = new(
        "Give the file's name without folders ('{0}' contains / or \\ or is . or ..).",
        "Hãy ghi tên tệp, không kèm thư mục ('{0}' chứa / hoặc \\ hoặc là . hay ..).");
    public static readonly LocalizedText WrongExtension = new(
        "The name '{0}' does not end in an extension of {1} ({2}).", "Tên '{0}' không có phần mở rộng của loại {1} ({2}).");
    public static readonly LocalizedText TypeNotAllowed = new(
        "'{0}' is not an accepted type; send PDF, JPEG, PNG, DOCX or XLSX ({1}).", "'{0}' không phải loại tệp được nhận; hãy gửi PDF, JPEG, PNG, DOCX hoặc XLSX ({1}).");
    public static readonly LocalizedText SizeOutOfRange = new("The size must be a whole number of bytes from 1 to {0}.", "Kích thước phải là số byte nguyên từ 1 đến {0}.");
    public static readonly LocalizedText HashFormat = new("sha256 must be the file's SHA-256 as 64 hexadecimal digits.", "sha256 phải là mã SHA-256 của tệp gồm 64 chữ số thập lục phân.");
    public static readonly LocalizedText LimitReached = new("A report holds at most {0} attachments; delete one first.", "Mỗi báo cáo có tối đa {0} tệp đính kèm; hãy xóa bớt trước.");
    public static readonly LocalizedText NotFound = new("There is no such attachment on this report.", "Báo cáo không có tệp đính kèm này.");
    public static readonly LocalizedText NotUploaded = new(
        "Nothing has been uploaded for this attachment yet; upload it to its URL (valid until {0:u}) and complete again.",
        "Chưa có tệp nào được tải lên; hãy tải lên theo đường dẫn (hiệu lực đến {0:u}) rồi hoàn tất lại.");
    public static readonly LocalizedText WasRejected = new("This attachment was rejected; declare the file again.", "Tệp đính kèm này đã bị từ chối; hãy khai báo lại tệp.");
    public static readonly LocalizedText AlreadyAvailable = new("This attachment is already uploaded and verified.", "Tệp đính kèm này đã được tải lên và kiểm tra.");
    public static readonly LocalizedText KeyReused = new("This Idempotency-Key was already used for a different request.", "Idempotency-Key này đã được dùng cho một yêu cầu khác.");
    public static readonly LocalizedText Replaced = new(
        "The file changed after it was verified; it was removed. Declare it again.", "Tệp đã bị thay đổi sau khi kiểm tra nên đã bị xóa; hãy khai báo lại.");

    public static LocalizedText Rejected(RejectReason reason) => reason switch
    {
        RejectReason.SizeMismatch => new("The uploaded file's size differs from the declared size; the file was removed.", "Kích thước tệp tải lên khác kích thước đã khai báo; tệp đã bị xóa."),
        RejectReason.HashMismatch => new("The uploaded file's SHA-256 differs from the declared one; the file was removed.", "Mã SHA-256 của tệp tải lên khác mã đã khai báo; tệp đã bị xóa."),
        RejectReason.TypeMismatch => new("The uploaded file's content is not of its declared type; the file was removed.", "Nội dung tệp tải lên không đúng loại đã khai báo; tệp đã bị xóa."),
    };
}
