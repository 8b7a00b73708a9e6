namespace Qcdc.Localization;

/// <summary>Messages that several features answer with, kept in one place so that they never drift apart.</summary>
public static class CommonTexts
{
    public static readonly LocalizedText UnknownForm = new("There is no form {0}.", "Không có biểu mẫu {0}.");

    public static readonly LocalizedText UnknownUnit = new("There is no unit {0}.", "Không có đơn vị {0}.");

    public static readonly LocalizedText BadPeriod = new(
        "'{0}' is not a period (e.g. 2024Q3, 2024H1, 2024, 2021-2025).", "'{0}' không phải kỳ báo cáo (ví dụ 2024Q3, 2024H1, 2024, 2021-2025).");

    public static readonly LocalizedText BadCharacter = new(
        "{0}: the text holds {1}, which cannot be kept; remove it.", "{0}: văn bản có ký tự không được phép, {1}; hãy xóa ký tự này.");

    public static readonly LocalizedText TooLong = new("{0}: at most {1} characters (got {2}).", "{0}: tối đa {1} ký tự (đã nhập {2}).");

    public static readonly LocalizedText BodyOverLimit = new("The request body is larger than {0} bytes.", "Nội dung yêu cầu vượt quá {0} byte.");
}
