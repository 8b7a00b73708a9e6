using System.Text.Json.Nodes;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Qcdc.Forms;
using Qcdc.Rollups;
using Qcdc.Submissions;

namespace Qcdc.Exports;

/// <summary>
/// The draft "BÁO CÁO Kết quả thực hiện Quy chế dân chủ ở cơ sở …" of a unit, laid out as Decree 30/2020 requires:
/// A4 portrait, margins 20/20/30/20 mm, Times New Roman; quốc hiệu and tiêu ngữ; issuing body, number, place and date;
/// title and summary; I. results (the sentences of <see cref="ReportSentences"/>), II.
/// limitations and III. directions (the units' own words under their names); signature block and "Nơi nhận"; an
/// appendix table of the figures. Page numbers centred at the top from the second page.
/// </summary>
public static class ReportDocument
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private const string Font = "Times New Roman";
    /// <summary>The width of the text between the margins, in twentieths of a point (210 mm − 30 mm − 20 mm).</summary>
    private const int TextWidth = 9071;

    public static void Write(Stream output, ExportData data, ReportHeading heading, IReadOnlyList<Submission> latest)
    {
        using var document = WordprocessingDocument.Create(output, WordprocessingDocumentType.Document);
        var main = document.AddMainDocumentPart();
        WriteStyles(main);
        var header = main.AddNewPart<HeaderPart>();
        header.Header = new Header(new Paragraph(new ParagraphProperties(new Justification { Val = JustificationValues.Center }),
            new SimpleField(new Run(new Text("2"))) { Instruction = " PAGE " }));
        var body = new Body();
        body.Append(HeadingTable(heading));
        body.Append(Para("BÁO CÁO", bold: true, align: JustificationValues.Center, before: 360, after: 0));
        body.Append(Para($"Kết quả thực hiện Quy chế dân chủ ở cơ sở {ReportSentences.Lower(data.PeriodName)}", bold: true, align: JustificationValues.Center, after: 0));
        body.Append(Rule(TextWidth / 3, TextWidth));

        body.Append(Section("I. KẾT QUẢ THỰC HIỆN"));
        body.Append(Body(ReportSentences.ReportingRate(data)));
        var areaNumber = 0;
        foreach (var (title, lines) in ReportSentences.Sentences(data))
        {
            body.Append(Para($"{++areaNumber}. {title}", bold: true, indent: true));
            foreach (var line in lines)
            {
                body.Append(Body(line));
            }
        }
        // The units' own words on their results continue the numbering; an empty area takes no number.
        Narratives(body, data, latest, TextsOf(data.Form, ReportPart.Results), $"{areaNumber + 1}. Kết quả nổi bật do các đơn vị báo cáo", sayWhenNone: false);
        foreach (var note in ReportSentences.Notes(data))
        {
            body.Append(Para(note, italic: true, indent: true, size: 26));
        }
        body.Append(Section("II. HẠN CHẾ, NGUYÊN NHÂN"));
        Narratives(body, data, latest, TextsOf(data.Form, ReportPart.Limitations), null, sayWhenNone: true);
        body.Append(Section("III. PHƯƠNG HƯỚNG, NHIỆM VỤ"));
        Narratives(body, data, latest, TextsOf(data.Form, ReportPart.Directions), null, sayWhenNone: true);
        body.Append(SignatureTable(heading));
        body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));
        Appendix(body, data);
        body.Append(new SectionProperties(
            new HeaderReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(header) },
            new PageSize { Width = 11906, Height = 16838, Orient = PageOrientationValues.Portrait },
            new PageMargin { Top = 1134, Bottom = 1134, Left = 1701, Right = 1134, Header = 567, Footer = 567, Gutter = 0 },
            new TitlePage()));
        main.Document = new Document(body);
    }

    /// <summary>The text indicators of a part of the report, by the form's sections; without sections, all of them are results.</summary>
    private static IReadOnlyList<Indicator> TextsOf(FormDefinition form, ReportPart part) => form.Sections.Count == 0
        ? part == ReportPart.Results ? [.. form.Indicators.Where(i => i.Type == IndicatorType.Text)] : []
        : [.. form.Sections.Where(s => s.Part == part).SelectMany(s => s.Indicators)
            .Select(form.FindIndicator).OfType<Indicator>().Where(i => i.Type == IndicatorType.Text)];

    /// <summary>
    /// The units' own words on one matter, synthesised: how many units wrote on it, then each distinct text once — the
    /// units that wrote the same named together, most first — and a text that a longer one already contains left out.
    /// </summary>
    private static void Narratives(Body body, ExportData data, IReadOnlyList<Submission> latest, IReadOnlyList<Indicator> texts, string? heading, bool sayWhenNone)
    {
        var said = (from report in latest
                    from text in texts
                    let words = report.Values[text.Code] is JsonValue value && value.TryGetValue<string>(out var w) && !string.IsNullOrWhiteSpace(w) ? w.Trim() : null
                    where words is not null
                    select (Unit: data.NameOf(report.Key.Unit), Words: words)).ToList();
        if (said.Count == 0)
        {
            if (sayWhenNone)
            {
                body.Append(Para("(Các đơn vị chưa nêu nội dung này.)", italic: true, indent: true));
            }
            return;
        }
        if (heading is not null)
        {
            body.Append(Para(heading, bold: true, indent: true));
        }
        var groups = said.GroupBy(p => Normal(p.Words))
            .Select(g => (Key: g.Key, Text: g.First().Words, Units: g.Select(p => p.Unit).Distinct(StringComparer.Ordinal).ToList()))
            .ToList();
        groups = [.. groups.Where(g => !groups.Any(o => o.Key.Length > g.Key.Length && o.Key.Contains(g.Key, StringComparison.Ordinal)))];
        var writers = said.Select(p => p.Unit).Distinct(StringComparer.Ordinal).Count();
        if (latest.Count > 1)
        {
            body.Append(Body($"{VietnameseFormat.Number(writers)}/{VietnameseFormat.Number(latest.Count)} đơn vị có báo cáo nêu nội dung này"
                + (groups.Count < said.Count ? $"; các ý kiến trùng nhau được gộp, còn {VietnameseFormat.Number(groups.Count)} ý kiến:" : ":")));
        }
        foreach (var (_, text, units) in groups.OrderByDescending(g => g.Units.Count))
        {
            var who = units.Count == 1 ? units[0] : $"{units.Count} đơn vị ({Names(units)})";
            var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            body.Append(new Paragraph(BodyProperties(), Run(who + ": ", bold: true), Run(lines.FirstOrDefault() ?? "")));
            foreach (var line in lines.Skip(1))
            {
                body.Append(Body(line));
            }
        }
    }

    /// <summary>Texts that differ only in spacing, case or a closing full stop are the same text.</summary>
    private static string Normal(string words) =>
        string.Join(' ', words.ToLower(System.Globalization.CultureInfo.GetCultureInfo("vi-VN")).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.', ';');

    /// <summary>"Xã A, Xã B, Xã C, Xã D và 3 đơn vị khác".</summary>
    private static string Names(IReadOnlyList<string> units) => units.Count <= 5
        ? string.Join(", ", units.Take(units.Count - 1)) + " và " + units[^1]
        : string.Join(", ", units.Take(4)) + $" và {VietnameseFormat.Number(units.Count - 4)} đơn vị khác";

    private static void Appendix(Body body, ExportData data)
    {
        body.Append(Para("PHỤ LỤC", bold: true, align: JustificationValues.Center, after: 0));
        body.Append(Para($"Số liệu tổng hợp {ReportSentences.Lower(data.PeriodName)} — {data.Unit.Name}", bold: true, align: JustificationValues.Center, after: 0));
        body.Append(Para($"(Kèm theo báo cáo; số liệu tổng hợp lúc {VietnameseFormat.DateTime(data.Snapshot.ComputedAt)})", italic: true, align: JustificationValues.Center));
        var unit = data.Snapshot.IndexOf(data.Unit.Code);
        int[] widths = [840, 5031, 1400, 1800];
        var table = new Table(new TableProperties(
            new TableWidth { Width = TextWidth.ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
            new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = 4 }, new LeftBorder { Val = BorderValues.Single, Size = 4 },
                new BottomBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
                new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 }),
            new TableLayout { Type = TableLayoutValues.Fixed }),
            new TableGrid(widths.Select(w => new GridColumn { Width = w.ToString(System.Globalization.CultureInfo.InvariantCulture) })));
        table.Append(Row(widths, true, "STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"));
        var number = 0;
        foreach (var indicator in data.Schema.Indicators)
        {
            var definition = indicator.Indicator;
            var n = (++number).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (definition.Type == IndicatorType.Ratio)
            {
                var (numerator, denominator) = (data.Figure(unit, indicator.FirstSlot), data.Figure(unit, indicator.FirstSlot + 1));
                table.Append(Row(widths, false, n, definition.Label, "%", numerator is { } a && denominator is { } b && b != 0 ? VietnameseFormat.Percent(a / b) : ""));
                table.Append(Row(widths, false, "", "   " + (definition.NumeratorLabel ?? "Tử số"), definition.Unit ?? "", Shown(numerator)));
                table.Append(Row(widths, false, "", "   " + (definition.DenominatorLabel ?? "Mẫu số"), definition.Unit ?? "", Shown(denominator)));
            }
            else
            {
                table.Append(Row(widths, false, n, definition.Label, Measure(definition), Shown(ReportSentences.Total(data, unit, indicator))));
                for (var c = 0; c < definition.Categories.Count; c++)
                {
                    table.Append(Row(widths, false, "", "   " + definition.Categories[c].Label, Measure(definition), Shown(data.Figure(unit, indicator.FirstSlot + c))));
                }
            }
        }
        body.Append(table);
        body.Append(Para(""));
        if (data.Reconciliation is { Units.Count: > 0 } reconciliation)
        {
            ReconciliationTable(body, reconciliation, table.GetFirstChild<TableProperties>()!);
        }

        string Shown(decimal? value) => value is { } v ? VietnameseFormat.Number(v) : "";
        static string Measure(Indicator indicator) => indicator.Type == IndicatorType.Money ? "đồng" : indicator.Unit ?? "";
    }

    /// <summary>The five-year reports that differ from their quarters' total, figure by figure; or a sentence that all agree.</summary>
    private static void ReconciliationTable(Body body, Reconciliation reconciliation, TableProperties properties)
    {
        body.Append(Para($"Đối chiếu số liệu báo cáo 5 năm với tổng các báo cáo quý", bold: true, align: JustificationValues.Center, after: 0));
        var flagged = reconciliation.Units.Where(u => u.OverThreshold).ToList();
        var threshold = VietnameseFormat.Number(reconciliation.ThresholdPercent);
        if (flagged.Count == 0)
        {
            body.Append(Body($"Số liệu báo cáo 5 năm của {reconciliation.Units.Count} đơn vị khớp với tổng các báo cáo quý (chênh lệch không quá {threshold} %)."));
            return;
        }
        body.Append(Para($"({flagged.Count}/{reconciliation.Units.Count} đơn vị có số liệu chênh lệch quá {threshold} % so với tổng các báo cáo quý)",
            italic: true, align: JustificationValues.Center));
        int[] widths = [2300, 3171, 1200, 1200, 1200];
        var table = new Table((TableProperties)properties.CloneNode(true),
            new TableGrid(widths.Select(w => new GridColumn { Width = w.ToString(System.Globalization.CultureInfo.InvariantCulture) })));
        table.Append(Row(widths, true, "Đơn vị", "Chỉ tiêu", "Báo cáo 5 năm", "Tổng các quý", "Chênh lệch"));
        foreach (var unit in flagged)
        {
            foreach (var cell in unit.Cells.Where(c => c.OverThreshold))
            {
                table.Append(Row(widths, false, unit.Name ?? unit.Unit, cell.Label, Shown(cell.Reported), Shown(cell.Computed),
                    cell.DifferencePercent is { } p ? $"{(p > 0 ? "+" : "")}{VietnameseFormat.Number(p, 1)} %" : Shown(cell.Difference)));
            }
        }
        body.Append(table);
        body.Append(Para(""));

        static string Shown(decimal? value) => value is { } v ? VietnameseFormat.Number(v) : "";
    }

    private static TableRow Row(int[] widths, bool header, params string[] cells)
    {
        var row = new TableRow();
        if (header)
        {
            row.Append(new TableRowProperties(new TableHeader()));
        }
        for (var i = 0; i < cells.Length; i++)
        {
            var align = header || i == 0 ? JustificationValues.Center : i == cells.Length - 1 ? JustificationValues.Right : JustificationValues.Left;
            row.Append(new TableCell(
                new TableCellProperties(new TableCellWidth { Width = widths[i].ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa }),
                Para(cells[i], bold: header, align: align, size: 26, after: 0)));
        }
        return row;
    }

    private static Table HeadingTable(ReportHeading heading)
    {
        var left = new List<OpenXmlElement>();
        if (heading.Parent is { } parent)
        {
            left.Add(Para(parent, align: JustificationValues.Center, size: 26, after: 0));
        }
        left.Add(Para(heading.Issuer, bold: true, align: JustificationValues.Center, size: 26, after: 0));
        left.Add(Rule(1200, 3400));
        left.Add(Para(heading.NumberLine, align: JustificationValues.Center, size: 26, before: 120, after: 0));
        var right = new List<OpenXmlElement>
        {
            // Decree 30: the national name 12–13 pt, the motto 13–14 pt, each on one line of its column.
            Para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, align: JustificationValues.Center, size: 24, after: 0),
            Para("Độc lập - Tự do - Hạnh phúc", bold: true, align: JustificationValues.Center, size: 26, after: 0),
            Rule(3000, TextWidth - 3400),
            Para(heading.DateLine, italic: true, align: JustificationValues.Center, size: 26, before: 120, after: 0),
        };
        return TwoColumns(3400, TextWidth - 3400, left, right);
    }

    private static Table SignatureTable(ReportHeading heading)
    {
        var left = new List<OpenXmlElement> { Para("Nơi nhận:", bold: true, italic: true, size: 24, after: 0, before: 240) };
        left.AddRange(heading.Recipients.Select(r => Para("- " + r, size: 22, after: 0)));
        var right = new List<OpenXmlElement>();
        if (heading.Authority is { } authority)
        {
            right.Add(Para(authority, bold: true, align: JustificationValues.Center, after: 0, before: 240));
        }
        right.Add(Para(heading.SignerTitle, bold: true, align: JustificationValues.Center, after: 0, before: heading.Authority is null ? 240 : 0));
        right.Add(Para("(Ký, ghi rõ họ tên, đóng dấu)", italic: true, align: JustificationValues.Center, size: 24, after: 0));
        right.AddRange(Enumerable.Range(0, 4).Select(_ => Para("", after: 0)));
        // The signer's name, or a line for it to be written on.
        right.Add(Para(heading.Signer ?? "……………………………", bold: heading.Signer is not null, align: JustificationValues.Center, after: 0));
        return TwoColumns(4200, TextWidth - 4200, left, right);
    }

    private static Table TwoColumns(int leftWidth, int rightWidth, IEnumerable<OpenXmlElement> left, IEnumerable<OpenXmlElement> right)
    {
        static TableCell Cell(int width, IEnumerable<OpenXmlElement> content) => new(
            [new TableCellProperties(new TableCellWidth { Width = width.ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa }), .. content]);
        return new Table(
            new TableProperties(
                new TableWidth { Width = (leftWidth + rightWidth).ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
                new TableBorders(new TopBorder { Val = BorderValues.None }, new LeftBorder { Val = BorderValues.None }, new BottomBorder { Val = BorderValues.None },
                    new RightBorder { Val = BorderValues.None }, new InsideHorizontalBorder { Val = BorderValues.None }, new InsideVerticalBorder { Val = BorderValues.None }),
                new TableLayout { Type = TableLayoutValues.Fixed },
                // No inner margins: the heading's lines use the whole width of their column.
                new TableCellMarginDefault(new TableCellLeftMargin { Width = 0, Type = TableWidthValues.Dxa }, new TableCellRightMargin { Width = 0, Type = TableWidthValues.Dxa })),
            new TableGrid(new GridColumn { Width = leftWidth.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                new GridColumn { Width = rightWidth.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            new TableRow(Cell(leftWidth, left), Cell(rightWidth, right)));
    }

    /// <summary>A centred solid line of the given width (twentieths of a point) under a heading or the summary, in a space that wide.</summary>
    private static Paragraph Rule(int width, int space)
    {
        var margin = Math.Max(0, (space - width) / 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new(new ParagraphProperties(
            new ParagraphBorders(new BottomBorder { Val = BorderValues.Single, Size = 6, Space = 1 }),
            new SpacingBetweenLines { Before = "0", After = "0", Line = "120", LineRule = LineSpacingRuleValues.Exact },
            new Indentation { Left = margin, Right = margin }));
    }

    private static Paragraph Section(string title) => Para(title, bold: true, before: 240);

    /// <summary>A paragraph of the body: justified, first line indented 1 cm.</summary>
    private static Paragraph Body(string text) => new(BodyProperties(), Run(text));

    private static ParagraphProperties BodyProperties() => new(
        new SpacingBetweenLines { Before = "0", After = "120", Line = "312", LineRule = LineSpacingRuleValues.Auto },
        new Indentation { FirstLine = "567" },
        new Justification { Val = JustificationValues.Both });

    private static Paragraph Para(string text, bool bold = false, bool italic = false, JustificationValues? align = null, int size = 28, int before = 0, int after = 120, bool indent = false)
    {
        var properties = new ParagraphProperties(new SpacingBetweenLines
        {
            Before = before.ToString(System.Globalization.CultureInfo.InvariantCulture),
            After = after.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        if (indent)
        {
            properties.Append(new Indentation { FirstLine = "567" });
        }
        properties.Append(new Justification { Val = align ?? JustificationValues.Both });
        return new Paragraph(properties, Run(text, bold, italic, size));
    }

    private static Run Run(string text, bool bold = false, bool italic = false, int size = 28)
    {
        var properties = new RunProperties();
        if (bold)
        {
            properties.Append(new Bold());
        }
        if (italic)
        {
            properties.Append(new Italic());
        }
        properties.Append(new FontSize { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return new Run(properties, new Text(VietnameseFormat.Nfc(text)) { Space = SpaceProcessingModeValues.Preserve });
    }

    private static void WriteStyles(MainDocumentPart main)
    {
        var styles = main.AddNewPart<StyleDefinitionsPart>();
        styles.Styles = new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = Font, HighAnsi = Font, ComplexScript = Font, EastAsia = Font },
                    new FontSize { Val = "28" }, new FontSizeComplexScript { Val = "28" }, new Languages { Val = "vi-VN" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "120", Line = "288", LineRule = LineSpacingRuleValues.Auto }))),
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true });
    }
}
