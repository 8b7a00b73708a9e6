using System.Globalization;
using Qcdc.Localization;
using Qcdc.Problems;
using Qcdc.Units;

namespace Qcdc.Exports;

/// <summary>
/// What heads and closes a draft report (Decree 30/2020): the parent body, the issuing body and its abbreviation, the
/// number, place and date, who signs and in what capacity, and the recipients. Unset parts take defaults from the unit
/// and are left blank where the office fills them in by hand (the number, the day).
/// </summary>
public sealed record ReportHeading(
    string? Parent, string Issuer, string IssuerAbbreviation, string? Number, string Place, DateOnly? Date, int Year,
    string? Authority, string SignerTitle, string? Signer, IReadOnlyList<string> Recipients)
{
    public const int MaxLength = 200;

    private static readonly string[] Governments = [UnitKinds.Province, UnitKinds.District, UnitKinds.Commune, UnitKinds.Ward, UnitKinds.SpecialZone];

    /// <summary>The heading from the query (issuer, parent, number, place, date, signer, title), or the problems with it.</summary>
    public static (ReportHeading? Heading, Refusal? Refusal) From(
        Unit unit, UnitHierarchy hierarchy, int year, Func<string, string?> query, IReadOnlyList<string>? recipients = null)
    {
        var problems = new List<FieldProblem>();
        string? Text(string name)
        {
            var value = query(name);
            if (value is null)
            {
                return null;
            }
            var clean = VietnameseFormat.Nfc(value.Trim());
            if (clean.Length is 0 or > MaxLength || clean.Any(char.IsControl))
            {
                problems.Add(new FieldProblem(name, ExportTexts.BadHeadingText.Format(name, MaxLength)));
                return null;
            }
            return clean;
        }
        var issuer = Text("issuer");
        var parent = Text("parent");
        var number = Text("number");
        var place = Text("place");
        var signer = Text("signer");
        var title = Text("title");
        DateOnly? date = null;
        if (query("date") is { } text)
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                date = parsed;
            }
            else
            {
                problems.Add(new FieldProblem("date", ExportTexts.BadDate.Format(text)));
            }
        }
        if (problems.Count > 0)
        {
            return (null, new Refusal(RefusalKind.Invalid, problems[0].Message, problems));
        }
        var government = Governments.Contains(unit.Kind, StringComparer.Ordinal);
        var province = Ancestors(unit, hierarchy).LastOrDefault() ?? unit;
        var receiver = unit.Parent is { } up ? hierarchy.Find(up) : null;
        return (new ReportHeading(
            Parent: parent?.ToUpper(Vi),
            Issuer: (issuer ?? (government ? "Ủy ban nhân dân " + unit.Name : unit.Name)).ToUpper(Vi),
            IssuerAbbreviation: government && issuer is null ? "UBND" : "…",
            Number: number,
            Place: place ?? PlaceName(province.Name),
            Date: date,
            Year: date?.Year ?? year,
            Authority: government && issuer is null ? "TM. ỦY BAN NHÂN DÂN" : null,
            SignerTitle: (title ?? (government ? "Chủ tịch" : "Thủ trưởng đơn vị")).ToUpper(Vi),
            Signer: signer,
            // "Nơi nhận": the unit above, the recipients the province set (Reports:Recipients), and the office's own file.
            Recipients: [.. (receiver is null ? [] : new[] { receiver.Name }).Concat(recipients ?? []).Select(r => r.TrimEnd(';', '.', ' ') + ";"), "Lưu: VT."]), null);
    }

    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    private static IEnumerable<Unit> Ancestors(Unit unit, UnitHierarchy hierarchy)
    {
        for (var up = unit.Parent is { } p ? hierarchy.Find(p) : null; up is not null; up = up.Parent is { } q ? hierarchy.Find(q) : null)
        {
            yield return up;
        }
    }

    /// <summary>"Tỉnh Lai Châu" → "Lai Châu": the place line names the province without its kind.</summary>
    public static string PlaceName(string name)
    {
        foreach (var prefix in (string[])["Tỉnh ", "Thành phố ", "Huyện ", "Xã ", "Phường ", "Thị trấn ", "Thị xã "])
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return name[prefix.Length..];
            }
        }
        return name;
    }

    /// <summary>"Số: 05/BC-UBND", or "Số:      /BC-UBND" for the office to fill in.</summary>
    public string NumberLine => Number is { } n && n.Contains('/', StringComparison.Ordinal)
        ? $"Số: {n}"
        : $"Số: {(Number is { } k ? (k.Length == 1 && char.IsDigit(k[0]) ? "0" + k : k) : "      ")}/BC-{IssuerAbbreviation}";

    /// <summary>"Lai Châu, ngày 05 tháng 01 năm 2026", or with the day and month left blank.</summary>
    public string DateLine => Date is { } d ? $"{Place}, {VietnameseFormat.Date(d)}" : $"{Place}, ngày      tháng      năm {Year}";
}

public static class ExportTexts
{
    public static readonly LocalizedText BadHeadingText = new(
        "{0}: at most {1} characters, no control characters.", "{0}: tối đa {1} ký tự, không có ký tự điều khiển.");
    public static readonly LocalizedText NotWorkbook = new(
        "The file is not an Excel workbook (.xlsx) that can be read.", "Tệp không phải sổ tính Excel (.xlsx) đọc được.");
    public static readonly LocalizedText TooLarge = new(
        "The workbook expands to more than this service reads; it cannot be a filled-in form.", "Sổ tính giải nén ra quá lớn; đây không thể là biểu mẫu đã điền.");
    public static readonly LocalizedText TooManyParts = new(
        "The workbook has {0} parts (at most {1}); it cannot be a filled-in form.", "Sổ tính có {0} thành phần (tối đa {1}); đây không thể là biểu mẫu đã điền.");
    public static readonly LocalizedText TooManySheets = new(
        "The workbook has {0} sheets (at most {1}).", "Sổ tính có {0} trang tính (tối đa {1}).");
    public static readonly LocalizedText TooManyRows = new(
        "A sheet has more than {1} rows; it cannot be a filled-in form.", "Một trang tính có hơn {1} dòng; đây không thể là biểu mẫu đã điền.");
    public static readonly LocalizedText Macros = new(
        "Workbooks with macros (.xlsm) are not accepted; save the form as an Excel workbook (.xlsx).",
        "Không nhận sổ tính có macro (.xlsm); hãy lưu biểu mẫu dưới dạng Excel Workbook (.xlsx).");
    public static readonly LocalizedText ExternalLinks = new(
        "The workbook links to other files or data sources; remove the links (Data → Edit Links → Break Link) and send it again.",
        "Sổ tính có liên kết tới tệp hoặc nguồn dữ liệu khác; hãy bỏ liên kết (Dữ liệu → Sửa liên kết → Ngắt liên kết) rồi gửi lại.");
    public static readonly LocalizedText NotOurWorkbook = new(
        "This workbook is not a form downloaded from this service (GET …/workbook); download the form, fill it in and send it back.",
        "Sổ tính này không phải biểu mẫu tải từ hệ thống (GET …/workbook); hãy tải biểu mẫu, điền rồi gửi lại.");
    public static readonly LocalizedText StaleWorkbook = new(
        "This workbook was downloaded when the report was at revision {0}; it is now at revision {1} (someone saved it since). Nothing was written: download the current workbook and enter your changes in it.",
        "Tệp Excel này được tải về khi báo cáo ở lần sửa {0}; báo cáo nay đã ở lần sửa {1} (đã có người lưu sau khi bạn tải). Chưa ghi gì: hãy tải biểu mẫu Excel mới nhất và nhập lại các thay đổi vào đó.");
    public static readonly LocalizedText OtherWorkbook = new(
        "This workbook is the form {0} version {1} of {3} for {2}; it cannot be used for {7} for {6} (form {4} version {5}).",
        "Sổ tính này là biểu mẫu {0} phiên bản {1} của đơn vị {3} kỳ {2}; không dùng được cho đơn vị {7} kỳ {6} (biểu mẫu {4} phiên bản {5}).");
    public static readonly LocalizedText SendWorkbook = new(
        "Send the workbook as application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.",
        "Hãy gửi sổ tính với kiểu nội dung application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.");
    public static readonly LocalizedText BadDate = new("date: '{0}' is not a date (yyyy-MM-dd).", "date: '{0}' không phải ngày (yyyy-MM-dd).");
}

/// <summary>Bound from the <c>Reports</c> section: what every draft report of this installation closes with.</summary>
public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>The recipients listed under "Nơi nhận" after the unit above (e.g. "Ban Dân vận Tỉnh ủy", "Sở Nội vụ").</summary>
    public List<string> Recipients { get; set; } = [];
}
