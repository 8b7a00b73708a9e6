using System.Text.Json.Nodes;
using Qcdc.Forms;
using Qcdc.Rollups;

namespace Qcdc.Exports;

/// <summary>
/// What the draft report says, in Vietnamese: a sentence per indicator from the form's own templates, grouped by the
/// form's sections, figures the Vietnamese way, the units that stand out, the reporting rate and the notes. <see cref="ReportDocument"/> lays the sentences out in Word; nothing here knows
/// of Word.
/// </summary>
public static partial class ReportSentences
{
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

    /// <summary>
    /// The sentences of section I, by the form's result sections in order (indicators in no section last): a sentence
    /// per figure that is not zero, from the indicator's template, then the units below that stand out.
    /// </summary>
    public static IReadOnlyList<(string Area, IReadOnlyList<string> Sentences)> Sentences(ExportData data)
    {
        var unit = data.Snapshot.IndexOf(data.Unit.Code);
        var said = new HashSet<string>(StringComparer.Ordinal);
        var sections = data.Form.Sections.Where(s => s.Part == ReportPart.Results).Select(s => (s.Title, s.Indicators)).ToList();
        var placed = data.Form.Sections.SelectMany(s => s.Indicators).ToHashSet(StringComparer.Ordinal);
        var rest = data.Schema.Indicators.Select(i => i.Indicator.Code).Where(c => !placed.Contains(c)).ToList();
        var result = new List<(string, IReadOnlyList<string>)>();
        foreach (var (title, codes) in sections.Append((sections.Count == 0 ? "Kết quả thực hiện các chỉ tiêu" : "Các chỉ tiêu khác", rest)))
        {
            var lines = new List<string>();
            foreach (var code in codes)
            {
                if (!said.Contains(code) && data.Schema.Find(code) is { Indicator.Type: not IndicatorType.Text } && Sentence(data, unit, code, said) is { } sentence)
                {
                    lines.Add(sentence);
                }
            }
            if (lines.Count > 0 && Standouts(data, codes) is { } standouts)
            {
                lines.Add(standouts);
            }
            if (lines.Count > 0)
            {
                result.Add((title, lines));
            }
        }
        return result;
    }

    /// <summary>
    /// "Các đơn vị dẫn đầu về mô hình, điển hình được xây dựng: Xã A (12 mô hình), Xã B (9 mô hình)." — the units below
    /// with the largest figure of the section's first counted indicator, above the middle unit's, when at least three
    /// units have one.
    /// </summary>
    private static string? Standouts(ExportData data, IReadOnlyList<string> codes)
    {
        var indicator = codes.Select(c => data.Schema.Find(c)).FirstOrDefault(i => i?.Indicator.Type is IndicatorType.Integer or IndicatorType.Decimal or IndicatorType.Money);
        if (indicator is null)
        {
            return null;
        }
        var figures = data.Children.Select(c => (Unit: c, Value: Total(data, c, indicator))).Where(p => p.Value > 0).ToList();
        if (figures.Count < 3)
        {
            return null;
        }
        // Standing out is being above the middle unit: when most units have the same figure, nobody leads.
        var middle = figures.Select(p => p.Value!.Value).Order().ElementAt(figures.Count / 2);
        var top = figures.Where(p => p.Value > middle).OrderByDescending(p => p.Value).ThenBy(p => data.Snapshot.Units[p.Unit], StringComparer.Ordinal).Take(3)
            .Select(p => $"{data.NameOf(data.Snapshot.Units[p.Unit])} ({VietnameseFormat.Figure(indicator.Indicator, p.Value!.Value)})").ToList();
        return top.Count == 0 ? null : $"Các đơn vị dẫn đầu về {LowerFirst(indicator.Indicator.Label)}: {string.Join(", ", top)}.";
    }

    private static string? FigureOf(ExportData data, int unit, string code) =>
        data.Schema.Find(code) is { } indicator && Total(data, unit, indicator) is { } value and not 0 ? VietnameseFormat.Figure(indicator.Indicator, value) : null;

    internal static decimal? Total(ExportData data, int unit, RollupIndicator indicator)
    {
        var parts = Enumerable.Range(indicator.FirstSlot, indicator.SlotCount).Select(s => data.Figure(unit, s)).Where(v => v is not null).ToList();
        return parts.Count == 0 ? null : parts.Sum();
    }

    /// <summary>
    /// One figure in a sentence: the template of the indicator (<see cref="Indicator.Sentence"/>) with its figure, its
    /// categories that are not zero and the figures of the other indicators it names (said here, not again); or
    /// "label: figure." when it has no template or a figure it names is missing. Nothing for a figure of zero.
    /// </summary>
    private static string? Sentence(ExportData data, int unit, string code, HashSet<string> said)
    {
        var indicator = data.Schema.Find(code)!;
        var definition = data.Form.FindIndicator(code) ?? indicator.Indicator;
        string figure;
        var categories = "";
        if (definition.Type == IndicatorType.Ratio)
        {
            if (data.Figure(unit, indicator.FirstSlot) is not { } numerator || data.Figure(unit, indicator.FirstSlot + 1) is not { } denominator || denominator == 0)
            {
                return null;
            }
            figure = $"{VietnameseFormat.Number(numerator)}/{VietnameseFormat.Figure(definition, denominator)} ({VietnameseFormat.Percent(numerator / denominator)})";
        }
        else
        {
            if (Total(data, unit, indicator) is not { } total || total == 0)
            {
                return null;
            }
            figure = VietnameseFormat.Figure(definition, total);
            // The period's categories as its slots hold them: every version's (a five-year window keeps the district level of 2021-2025Q2).
            var parts = indicator.Indicator.Categories.Select((c, i) => (c, Value: data.Figure(unit, indicator.FirstSlot + i)))
                .Where(p => p.Value is > 0).ToList();
            if (parts.Count > 1 || (parts.Count == 1 && parts[0].Value != total))
            {
                categories = ", trong đó " + string.Join(", ", parts.Select(p => $"{VietnameseFormat.Figure(definition, p.Value!.Value)} {LowerFirst(p.c.Label)}"));
            }
        }
        said.Add(code);
        if (definition.Sentence is { } template)
        {
            var others = Forms.FormValidation.SentencePlaceholder().Matches(template).Select(m => m.Groups[1].Value)
                .Where(n => n is not ("value" or "categories")).Distinct().ToDictionary(n => n, n => FigureOf(data, unit, n));
            if (others.Values.All(v => v is not null))
            {
                var text = Forms.FormValidation.SentencePlaceholder().Replace(template, m => m.Groups[1].Value switch
                {
                    "value" => figure,
                    "categories" => categories,
                    var other => others[other]!,
                });
                said.UnionWith(others.Keys);
                return char.ToUpper(text[0], System.Globalization.CultureInfo.GetCultureInfo("vi-VN")) + text[1..];
            }
        }
        return $"{definition.Label}: {figure}{categories}.";
    }

    private static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLower(text[0], System.Globalization.CultureInfo.GetCultureInfo("vi-VN")) + text[1..] : text;

    /// <summary>The rollup's notes as a reader of the report is told them: labels, not codes; quarters in words.</summary>
    internal static IEnumerable<string> Notes(ExportData data)
    {
        foreach (var note in data.View.Notes)
        {
            yield return "Ghi chú: " + Readable(note.Vi);
        }
        if (data.View.Carried.Count > 0)
        {
            yield return "Ghi chú: số liệu " + string.Join(", ", data.View.Carried.Select(c => data.Schema.Find(c)?.Indicator.Label ?? c))
                + " của đơn vị chưa báo cáo quý cuối kỳ được lấy theo quý gần nhất đơn vị đã báo cáo.";
        }
    }

    /// <summary>"Đối thoại — Cấp tỉnh (dialogues.province) chỉ có trong 2025Q3–2025Q4" → "… chỉ có trong quý III/2025–quý IV/2025".</summary>
    internal static string Readable(string note) =>
        QuarterKey().Replace(CodeInBrackets().Replace(note, ""), m => $"quý {Roman[m.Groups[2].Value[0] - '1']}/{m.Groups[1].Value}");

    private static readonly string[] Roman = ["I", "II", "III", "IV"];

    [System.Text.RegularExpressions.GeneratedRegex(@" \([a-z0-9_]+(?:\.[a-z0-9_-]+)?\)")]
    private static partial System.Text.RegularExpressions.Regex CodeInBrackets();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(\d{4})Q([1-4])\b")]
    private static partial System.Text.RegularExpressions.Regex QuarterKey();
}
