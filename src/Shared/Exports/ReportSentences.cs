using System.Text.Json.Nodes;
using Qcdc.Forms;
using Qcdc.Rollups;

namespace Qcdc.Exports;

/// <summary>
/// What the draft report says, in Vietnamese: a sentence per indicator grouped by area, figures the Vietnamese way,
/// the reporting rate and the notes. <see cref="ReportDocument"/> lays the sentences out in Word; nothing here knows
/// of Word.
/// </summary>
public static class ReportSentences
{
    /// <summary>Areas of a QCDC report and the indicators whose sentences go in each, in order.</summary>
    internal static readonly (string Title, string[] Codes)[] Areas =
    [
        ("Công tác lãnh đạo, chỉ đạo, tuyên truyền, quán triệt", ["docs_issued", "cadres_briefed"]),
        ("Tiếp công dân, đối thoại và giải quyết đơn thư", ["receptions", "receptions_dialogues", "dialogues", "complaints_received", "complaints_resolved"]),
        ("Vận động Nhân dân đóng góp xây dựng quê hương", ["land_households", "land_area", "donation_value", "trees_donated", "workdays", "resources_mobilised"]),
        ("Xây dựng mô hình, điển hình", ["models_built", "dvk_models"]),
        ("Xây dựng nông thôn mới", ["ntm_communes", "ntm_advanced", "model_villages", "ocop_products", "income_per_capita"]),
        ("Thực hiện dân chủ trong cơ quan, đơn vị, doanh nghiệp", ["agencies_with_rules", "agencies_staff_conference", "state_ent_cla", "private_ent_dialogue"]),
        ("Thi đua, khen thưởng", ["awards_collective", "awards_individual"]),
    ];

    /// <summary>Sentences of QCDC indicators; {0} is the figure with its unit ("14.646 hộ"), {1} the categories.</summary>
    private static readonly Dictionary<string, string> Phrases = new(StringComparer.Ordinal)
    {
        ["docs_issued"] = "Ban hành {0} lãnh đạo, chỉ đạo thực hiện Quy chế dân chủ ở cơ sở.",
        ["cadres_briefed"] = "Tổ chức quán triệt cho cán bộ, đảng viên: {0}.",
        ["receptions"] = "Người đứng đầu cấp ủy, chính quyền tiếp công dân {0}.",
        ["receptions_dialogues"] = "Người đứng đầu tiếp công dân, đối thoại {0} ({1}).",
        ["dialogues"] = "Tổ chức {0} hội nghị đối thoại trực tiếp với Nhân dân ({1}).",
        ["complaints_received"] = "Tiếp nhận {0} khiếu nại, tố cáo.",
        ["complaints_resolved"] = "Đã giải quyết {0}.",
        ["trees_donated"] = "Nhân dân hiến {0} xanh.",
        ["workdays"] = "Nhân dân đóng góp {0}.",
        ["resources_mobilised"] = "Tổng nguồn lực huy động được {0}.",
        ["models_built"] = "Xây dựng được {0} ({1}).",
        ["dvk_models"] = "Xây dựng {0} \"Dân vận khéo\" ({1}).",
        ["ntm_communes"] = "Số xã đạt chuẩn nông thôn mới: {0}.",
        ["ntm_advanced"] = "Số xã đạt chuẩn nông thôn mới nâng cao: {0}.",
        ["model_villages"] = "Số thôn, khu dân cư đạt chuẩn kiểu mẫu: {0}.",
        ["ocop_products"] = "Có {0} OCOP đạt chuẩn.",
        ["income_per_capita"] = "Thu nhập bình quân đầu người đạt {0}.",
        ["awards_collective"] = "Khen thưởng {0} có thành tích trong thực hiện Quy chế dân chủ ở cơ sở.",
        ["awards_individual"] = "Khen thưởng {0} có thành tích trong thực hiện Quy chế dân chủ ở cơ sở.",
    };

    /// <summary>"Quý III năm 2024" → "quý III năm 2024" (the summary line continues a sentence).</summary>
    internal static string Lower(string period) => char.ToLowerInvariant(period[0]) + period[1..];

    internal static string ReportingRate(ExportData data)
    {
        var total = data.Completeness.Total;
        var what = data.Snapshot.IsQuarter ? "đơn vị" : "lượt báo cáo quý";
        return total.Expected == 0
            ? "Chưa có đơn vị nào phải báo cáo trong kỳ."
            : $"Tình hình báo cáo: {VietnameseFormat.Number(total.Reported)}/{VietnameseFormat.Number(total.Expected)} {what} đã báo cáo "
              + $"(đạt {VietnameseFormat.Percent(total.Rate)}), trong đó {VietnameseFormat.Number(total.OnTime)} đúng hạn ({VietnameseFormat.Percent(total.RateOnTime)}).";
    }

    /// <summary>The sentences of section I, by area; indicators outside the known areas come last.</summary>
    public static IReadOnlyList<(string Area, IReadOnlyList<string> Sentences)> Sentences(ExportData data)
    {
        var unit = data.Snapshot.IndexOf(data.Unit.Code);
        var said = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<(string, IReadOnlyList<string>)>();
        foreach (var (title, codes) in Areas.Append(("Các chỉ tiêu khác", [.. data.Schema.Indicators.Select(i => i.Indicator.Code)])))
        {
            var lines = new List<string>();
            foreach (var code in codes)
            {
                if (said.Contains(code) || data.Schema.Find(code) is not { } indicator)
                {
                    continue;
                }
                said.Add(code);
                if (code == "land_households" && Sentence(data, unit, "land_households") is not null)
                {
                    lines.Add(Land(data, unit, said));
                    continue;
                }
                if (Sentence(data, unit, code) is { } sentence)
                {
                    lines.Add(sentence);
                }
            }
            if (lines.Count > 0)
            {
                result.Add((title, lines));
            }
        }
        return result;
    }

    /// <summary>"Vận động 14.646 hộ hiến 894.948 m² đất, trị giá 82,749 tỷ đồng."</summary>
    private static string Land(ExportData data, int unit, HashSet<string> said)
    {
        var text = $"Vận động {FigureOf(data, unit, "land_households")} hiến";
        if (FigureOf(data, unit, "land_area") is { } area)
        {
            text += $" {area} đất";
            said.Add("land_area");
        }
        else
        {
            text += " đất";
        }
        if (FigureOf(data, unit, "donation_value") is { } value)
        {
            text += $", trị giá {value}";
            said.Add("donation_value");
        }
        return text + ".";
    }

    private static string? FigureOf(ExportData data, int unit, string code) =>
        data.Schema.Find(code) is { } indicator && Total(data, unit, indicator) is { } value ? VietnameseFormat.Figure(indicator.Indicator, value) : null;

    internal static decimal? Total(ExportData data, int unit, RollupIndicator indicator)
    {
        var parts = Enumerable.Range(indicator.FirstSlot, indicator.SlotCount).Select(s => data.Figure(unit, s)).Where(v => v is not null).ToList();
        return parts.Count == 0 ? null : parts.Sum();
    }

    private static string? Sentence(ExportData data, int unit, string code)
    {
        var indicator = data.Schema.Find(code)!;
        var definition = indicator.Indicator;
        string figure;
        var categories = "";
        if (definition.Type == IndicatorType.Ratio)
        {
            if (data.Figure(unit, indicator.FirstSlot) is not { } numerator || data.Figure(unit, indicator.FirstSlot + 1) is not { } denominator)
            {
                return null;
            }
            figure = $"{VietnameseFormat.Number(numerator)}/{VietnameseFormat.Figure(definition, denominator)}"
                + (denominator == 0 ? "" : $" ({VietnameseFormat.Percent(numerator / denominator)})");
        }
        else
        {
            if (Total(data, unit, indicator) is not { } total)
            {
                return null;
            }
            figure = VietnameseFormat.Figure(definition, total);
            categories = string.Join("; ", definition.Categories.Select((c, i) => (c, Value: data.Figure(unit, indicator.FirstSlot + i)))
                .Where(p => p.Value is not null).Select(p => $"{p.c.Label}: {VietnameseFormat.Number(p.Value!.Value)}"));
        }
        if (Phrases.TryGetValue(code, out var phrase) && (categories.Length > 0 || !phrase.Contains("{1}", StringComparison.Ordinal)))
        {
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, phrase, figure, categories);
        }
        return categories.Length > 0 ? $"{definition.Label}: {figure} ({categories})." : $"{definition.Label}: {figure}.";
    }

    internal static IEnumerable<string> Notes(ExportData data)
    {
        foreach (var note in data.View.Notes)
        {
            yield return "Ghi chú: " + note.Vi;
        }
        if (data.View.Carried.Count > 0)
        {
            yield return "Ghi chú: số liệu " + string.Join(", ", data.View.Carried.Select(c => data.Schema.Find(c)?.Indicator.Label ?? c))
                + " của đơn vị chưa báo cáo quý cuối kỳ được lấy theo quý gần nhất đơn vị đã báo cáo.";
        }
    }
}
