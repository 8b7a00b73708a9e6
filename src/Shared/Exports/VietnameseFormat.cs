using System.Globalization;
using System.Text;
using Qcdc.Forms;
using Qcdc.Periods;

namespace Qcdc.Exports;

/// <summary>
/// Figures, dates and periods written the Vietnamese way (Decree 30/2020 reports): a dot between thousands, a comma
/// before decimals ("14.646 hộ", "894.948,25 m²", "98,9%"), money in billion or million đồng ("82,749 tỷ đồng"),
/// "ngày 05 tháng 01 năm 2026", "Quý III năm 2024".
/// </summary>
public static class VietnameseFormat
{
    private static readonly NumberFormatInfo Numbers = new() { NumberGroupSeparator = ".", NumberDecimalSeparator = ",", NegativeSign = "-" };

    /// <summary>A number with up to <paramref name="maxDecimals"/> decimals, trailing zeros dropped: 14.646; 894.948,25.</summary>
    public static string Number(decimal value, int maxDecimals = 2)
    {
        var rounded = decimal.Round(value, maxDecimals, MidpointRounding.AwayFromZero);
        var text = rounded.ToString("#,##0." + new string('#', Math.Max(maxDecimals, 0)), Numbers);
        return text.EndsWith(',') ? text[..^1] : text;
    }

    /// <summary>A share as a percentage with one decimal: 0.989 → "98,9%".</summary>
    public static string Percent(decimal share) => Number(share * 100, 1) + "%";

    /// <summary>Money in đồng: "82,749 tỷ đồng", "470 triệu đồng", "950.000 đồng".</summary>
    public static string Money(decimal dong) => Math.Abs(dong) switch
    {
        >= 1_000_000_000m => Number(dong / 1_000_000_000m, 3) + " tỷ đồng",
        >= 1_000_000m => Number(dong / 1_000_000m, 3) + " triệu đồng",
        _ => Number(dong, 0) + " đồng",
    };

    /// <summary>An indicator's figure with its unit of measure, the way a sentence of a report writes it.</summary>
    public static string Figure(Indicator indicator, decimal value) => indicator.Type switch
    {
        IndicatorType.Money => Money(value),
        IndicatorType.Decimal => WithUnit(Number(value, indicator.DecimalPlaces ?? 2), indicator.Unit),
        _ => WithUnit(Number(value, 0), indicator.Unit),
    };

    private static string WithUnit(string number, string? unit) => string.IsNullOrEmpty(unit) ? number : $"{number} {unit}";

    /// <summary>"ngày 05 tháng 01 năm 2026": days below 10 and months 1–2 with a leading zero (Decree 30/2020).</summary>
    public static string Date(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"ngày {date.Day:00} tháng {(date.Month <= 2 ? date.Month.ToString("00", CultureInfo.InvariantCulture) : date.Month.ToString(CultureInfo.InvariantCulture))} năm {date.Year}");

    /// <summary>"05/01/2026 09:30" in Vietnam time.</summary>
    public static string DateTime(DateTimeOffset at) =>
        at.ToOffset(VietnamTime.Offset).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    private static readonly string[] Roman = ["I", "II", "III", "IV"];

    /// <summary>"Quý III năm 2024", "6 tháng đầu năm 2025", "Năm 2025", "Giai đoạn 2021–2025", a named window by its title.</summary>
    public static string Period(Period period, string? windowTitle = null)
    {
        var first = period.FirstQuarter;
        var last = period.LastQuarter;
        return period.Type switch
        {
            PeriodType.Quarter => $"Quý {Roman[first % 4]} năm {first / 4}",
            PeriodType.HalfYear => first % 4 == 0 ? $"6 tháng đầu năm {first / 4}" : $"6 tháng cuối năm {first / 4}",
            PeriodType.Year => $"Năm {first / 4}",
            _ when windowTitle is not null => $"Giai đoạn {Quarter(first)} – {Quarter(last)} ({windowTitle})",
            _ when first % 4 == 0 && last % 4 == 3 => $"Giai đoạn {first / 4}–{last / 4}",
            _ => $"Giai đoạn {Quarter(first)} – {Quarter(last)}",
        };

        static string Quarter(int q) => $"quý {Roman[q % 4]}/{q / 4}";
    }

    /// <summary>Text as Unicode NFC (how Vietnamese must be stored and compared).</summary>
    /// <summary>The text as a file may carry it (no character XML forbids, whatever was stored), in NFC.</summary>
    public static string Nfc(string text) => Qcdc.Localization.UserText.ForFiles(text);

    /// <summary>
    /// A text cell that a spreadsheet program could take for a formula (it starts with =, +, -, @, a tab or a carriage
    /// return) gets a leading apostrophe, as OWASP advises for CSV and spreadsheet exports.
    /// </summary>
    public static string SafeCell(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
}
