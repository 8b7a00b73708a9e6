using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Qcdc.Exports;

/// <summary>
/// Writes workbooks with the Open XML SDK, a sheet at a time through <see cref="OpenXmlWriter"/>: text as inline
/// strings (cleaned of formula triggers), numbers as numeric cells with number formats, dates as dates.
/// </summary>
public static class Spreadsheet
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Times New Roman, as Vietnamese administrative documents are written.</summary>
    private const string FontName = "Times New Roman";

    public static void WriteStyles(Stream part)
    {
        static Font Font(bool bold = false, bool italic = false, double size = 12)
        {
            var font = new Font();
            if (bold)
            {
                font.Append(new Bold());
            }
            if (italic)
            {
                font.Append(new Italic());
            }
            font.Append(new FontSize { Val = size }, new FontName { Val = FontName });
            return font;
        }
        static Border Thin() => new(
            new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin }, new DiagonalBorder());
        static CellFormat Format(uint font = 0, uint fill = 0, uint border = 0, uint numberFormat = 0, Alignment? alignment = null, bool unlocked = false)
        {
            var format = new CellFormat { FontId = font, FillId = fill, BorderId = border, NumberFormatId = numberFormat, FormatId = 0 };
            if (numberFormat != 0)
            {
                format.ApplyNumberFormat = true;
            }
            if (alignment is not null)
            {
                format.ApplyAlignment = true;
                format.Append(alignment);
            }
            if (unlocked)
            {
                format.ApplyProtection = true;
                format.Append(new Protection { Locked = false });
            }
            return format;
        }
        var input = new Fill(new PatternFill(new ForegroundColor { Rgb = "FFFFF2CC" }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid });
        using var writer = OpenXmlWriter.Create(part);
        writer.WriteElement(new Stylesheet(
            new NumberingFormats(
                new NumberingFormat { NumberFormatId = 164, FormatCode = "#,##0" },
                new NumberingFormat { NumberFormatId = 165, FormatCode = "#,##0.00" },
                new NumberingFormat { NumberFormatId = 166, FormatCode = "0.0%" },
                new NumberingFormat { NumberFormatId = 167, FormatCode = "dd/mm/yyyy hh:mm" })
            { Count = 4 },
            new Fonts(Font(), Font(bold: true, size: 14), Font(bold: true), Font(italic: true)) { Count = 4 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFD9E1F2" }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid }),
                input)
            { Count = 4 },
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()), Thin()) { Count = 2 },
            new CellStyleFormats(new CellFormat { FontId = 0, FillId = 0, BorderId = 0, NumberFormatId = 0 }) { Count = 1 },
            new CellFormats(
                Format(),
                Format(font: 1),
                Format(font: 2, fill: 2, border: 1, alignment: new Alignment { WrapText = true, Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center }),
                Format(border: 1, alignment: new Alignment { Vertical = VerticalAlignmentValues.Top, WrapText = true }),
                Format(border: 1, alignment: new Alignment { Indent = 2, Vertical = VerticalAlignmentValues.Top, WrapText = true }),
                Format(border: 1, numberFormat: 164),
                Format(border: 1, numberFormat: 165),
                Format(border: 1, numberFormat: 166),
                Format(border: 1, numberFormat: 167),
                Format(border: 1, alignment: new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }),
                Format(font: 2, border: 1, alignment: new Alignment { Vertical = VerticalAlignmentValues.Top, WrapText = true }),
                Format(font: 3),
                Format(fill: 3, border: 1, numberFormat: 164, unlocked: true),
                Format(fill: 3, border: 1, numberFormat: 165, unlocked: true),
                Format(fill: 3, border: 1, alignment: new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }, unlocked: true))
            { Count = 15 },
            new CellStyles(new DocumentFormat.OpenXml.Spreadsheet.CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 }));
    }

    /// <summary>"A", "B", …, "Z", "AA": the letters of a column (0-based).</summary>
    public static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }
        return name;
    }

    public static string Reference(int column, uint row) => Column(column) + row.ToString(CultureInfo.InvariantCulture);

    /// <summary>The style of a figure of this indicator type.</summary>
    public static CellStyle NumberStyle(Forms.Indicator indicator) =>
        indicator.Type == Forms.IndicatorType.Decimal || (indicator.Type == Forms.IndicatorType.Money && indicator.DecimalPlaces > 0) ? CellStyle.Decimal : CellStyle.Integer;
}
