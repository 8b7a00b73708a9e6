using System.Text.RegularExpressions;
using Qcdc.Localization;

namespace Qcdc.Problems;

/// <summary>The kinds of code that name stored things and become parts of storage keys.</summary>
public enum KeyPart
{
    Unit,
    Form,
    Period,
    Indicator,
    Category,
    AttachmentId,
    KeyId,
}

/// <summary>
/// The one set of rules for every code that becomes part of a storage key (unit, form, period, indicator, category,
/// attachment id, key id). Every pattern is anchored at the true end of the text (<c>\z</c>: <c>$</c> would let a
/// final line feed through). The HTTP pipeline checks route and query values with these before any handler runs;
/// the unit import, the form API, the report values and the workbook check their codes with the same rules.
/// A form version is a number and is parsed as one.
/// </summary>
public static partial class KeyParts
{
    public static bool IsValid(KeyPart part, string? value) => value is not null && part switch
    {
        KeyPart.Unit or KeyPart.Form => CodePattern().IsMatch(value),
        // A calendar period (2026Q4, 2026H1, 2026, a plan period 2021-2025) or a window's name (NQ02-2017).
        KeyPart.Period => Qcdc.Periods.Period.TryParse(value, out _) || WindowPattern().IsMatch(value),
        KeyPart.Indicator or KeyPart.Category => IndicatorPattern().IsMatch(value),
        KeyPart.AttachmentId => AttachmentIdPattern().IsMatch(value),
        KeyPart.KeyId => KeyIdPattern().IsMatch(value),
        _ => false,
    };

    /// <summary>What a valid code of the kind looks like, for the refusal.</summary>
    public static LocalizedText Rule(KeyPart part) => part switch
    {
        KeyPart.Unit => Texts.Unit,
        KeyPart.Form => Texts.Form,
        KeyPart.Period => Texts.Period,
        KeyPart.Indicator => Texts.Indicator,
        KeyPart.Category => Texts.Category,
        KeyPart.AttachmentId => Texts.AttachmentId,
        _ => Texts.KeyId,
    };

    /// <summary>The problem for <paramref name="field"/> when its value breaks the rule, else null.</summary>
    public static FieldProblem? Check(string field, KeyPart part, string? value) =>
        IsValid(part, value) ? null : new FieldProblem(field, Rule(part));

    private static class Texts
    {
        public static readonly LocalizedText Unit = new("A unit code is 1 to 40 characters: capital letters A–Z, digits and '-'.", "Mã đơn vị gồm 1 đến 40 ký tự: chữ in hoa A–Z, chữ số và dấu '-'.");
        public static readonly LocalizedText Form = new("A form code is 1 to 40 characters: capital letters A–Z, digits and '-'.", "Mã biểu mẫu gồm 1 đến 40 ký tự: chữ in hoa A–Z, chữ số và dấu '-'.");
        public static readonly LocalizedText Period = new("A period is written like 2026Q4, 2026H1, 2026 or a plan period such as 2021-2025 (2016-2020, 2021-2025, 2026-2030 …), or is the name of a window (NQ02-2017).", "Kỳ báo cáo được viết dạng 2026Q4, 2026H1, 2026 hoặc một giai đoạn kế hoạch như 2021-2025 (2016-2020, 2021-2025, 2026-2030 …), hoặc là tên một giai đoạn đã đặt (NQ02-2017).");
        public static readonly LocalizedText Indicator = new("An indicator code is 1 to 63 characters: small letters a–z, digits and '_', starting with a letter.", "Mã chỉ tiêu gồm 1 đến 63 ký tự: chữ thường a–z, chữ số và dấu '_', bắt đầu bằng chữ cái.");
        public static readonly LocalizedText Category = new("A category code is 1 to 63 characters: small letters a–z, digits and '_', starting with a letter.", "Mã phân loại gồm 1 đến 63 ký tự: chữ thường a–z, chữ số và dấu '_', bắt đầu bằng chữ cái.");
        public static readonly LocalizedText AttachmentId = new("An attachment id is 32 characters 0–9 and a–f.", "Mã tệp đính kèm gồm 32 ký tự 0–9 và a–f.");
        public static readonly LocalizedText KeyId = new("A key id is 12 characters: small letters a–z and digits.", "Mã khóa gồm 12 ký tự: chữ thường a–z và chữ số.");
    }

    [GeneratedRegex("^[A-Z0-9-]{1,40}\\z")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[A-Z][A-Z0-9-]{1,31}\\z")]
    private static partial Regex WindowPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}\\z")]
    private static partial Regex IndicatorPattern();

    [GeneratedRegex("^[0-9a-f]{32}\\z")]
    private static partial Regex AttachmentIdPattern();

    [GeneratedRegex("^[a-z0-9]{12}\\z")]
    private static partial Regex KeyIdPattern();
}
