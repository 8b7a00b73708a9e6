using System.Globalization;
using System.IO.Packaging;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Qcdc.Periods;

namespace Qcdc.Exports;

/// <summary>The cell styles every workbook of the product uses (indices into one stylesheet).</summary>
public enum CellStyle : uint
{
    Default = 0,
    Title = 1,
    Header = 2,
    Text = 3,
    Indented = 4,
    Integer = 5,
    Decimal = 6,
    Percent = 7,
    DateTime = 8,
    Wrapped = 9,
    Bold = 10,
    Note = 11,
    /// <summary>An input cell of the form workbook: unlocked on a protected sheet.</summary>
    Input = 12,
    InputDecimal = 13,
    InputText = 14,
}

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

/// <summary>Page and view settings of one sheet.</summary>
public sealed record SheetLayout(IReadOnlyList<double> ColumnWidths, uint FrozenRows = 0, int FrozenColumns = 0, bool Landscape = true, bool Hidden = false);

/// <summary>One worksheet written row by row; cells of a row are written left to right.</summary>
public sealed class SheetWriter : IDisposable
{
    private readonly OpenXmlWriter _writer;
    private readonly Stream _stream;
    private uint _row;
    private int _column;
    private bool _rowOpen;
    private bool _dataOpen;

    /// <summary>A sheet written to a part's stream (or a temporary file), which it closes when it is finished.</summary>
    public SheetWriter(Stream part, SheetLayout layout)
    {
        _stream = part;
        _writer = OpenXmlWriter.Create(part);
        _writer.WriteStartElement(new Worksheet());
        _writer.WriteElement(new SheetProperties(new PageSetupProperties { FitToPage = true }));
        var view = new SheetView { WorkbookViewId = 0 };
        if (layout.FrozenRows > 0 || layout.FrozenColumns > 0)
        {
            var pane = new Pane
            {
                TopLeftCell = Spreadsheet.Reference(layout.FrozenColumns, layout.FrozenRows + 1),
                State = PaneStateValues.Frozen,
                ActivePane = layout.FrozenColumns > 0 ? (layout.FrozenRows > 0 ? PaneValues.BottomRight : PaneValues.TopRight) : PaneValues.BottomLeft,
            };
            if (layout.FrozenRows > 0)
            {
                pane.VerticalSplit = layout.FrozenRows;
            }
            if (layout.FrozenColumns > 0)
            {
                pane.HorizontalSplit = layout.FrozenColumns;
            }
            view.Append(pane);
        }
        _writer.WriteElement(new SheetViews(view));
        _writer.WriteStartElement(new Columns());
        for (var i = 0; i < layout.ColumnWidths.Count; i++)
        {
            _writer.WriteElement(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = layout.ColumnWidths[i], CustomWidth = true });
        }
        _writer.WriteEndElement();
        Landscape = layout.Landscape;
    }

    private bool Landscape { get; }

    /// <summary>The row being written (1-based).</summary>
    public uint Row => _row;

    /// <summary>The reference of the next cell to be written on this row.</summary>
    public string NextReference => Spreadsheet.Reference(_column, _row);

    public SheetWriter StartRow(double? height = null)
    {
        EndRow();
        if (!_dataOpen)
        {
            _writer.WriteStartElement(new SheetData());
            _dataOpen = true;
        }
        _row++;
        _column = 0;
        var row = new Row { RowIndex = _row };
        if (height is { } h)
        {
            row.Height = h;
            row.CustomHeight = true;
        }
        _writer.WriteStartElement(row);
        _rowOpen = true;
        return this;
    }

    /// <summary>Leaves a cell empty.</summary>
    public SheetWriter Skip(int cells = 1)
    {
        _column += cells;
        return this;
    }

    public SheetWriter Text(string? text, CellStyle style = CellStyle.Text)
    {
        if (text is null)
        {
            return Empty(style);
        }
        StartCell(style, "inlineStr");
        _writer.WriteStartElement(_inline);
        _writer.WriteStartElement(_text, Preserve);
        _writer.WriteString(VietnameseFormat.SafeCell(VietnameseFormat.Nfc(text)));
        _writer.WriteEndElement();
        _writer.WriteEndElement();
        _writer.WriteEndElement();
        return this;
    }

    public SheetWriter Number(decimal? value, CellStyle style = CellStyle.Integer) =>
        value is { } v ? Value(v.ToString(CultureInfo.InvariantCulture), style) : Empty(style);

    public SheetWriter Date(DateTimeOffset? at) =>
        at is { } a ? Value(a.ToOffset(VietnamTime.Offset).DateTime.ToOADate().ToString("R", CultureInfo.InvariantCulture), CellStyle.DateTime) : Empty(CellStyle.DateTime);

    private SheetWriter Value(string number, CellStyle style)
    {
        StartCell(style, null);
        _writer.WriteStartElement(_value);
        _writer.WriteString(number);
        _writer.WriteEndElement();
        _writer.WriteEndElement();
        return this;
    }

    /// <summary>A formula (the workbook computes it; the value is left for the spreadsheet program to fill).</summary>
    public SheetWriter Formula(string formula, CellStyle style)
    {
        StartCell(style, null);
        _writer.WriteElement(new CellFormula(formula));
        _writer.WriteEndElement();
        return this;
    }

    public SheetWriter Empty(CellStyle style = CellStyle.Text)
    {
        if (style != CellStyle.Default)
        {
            StartCell(style, null);
            _writer.WriteEndElement();
        }
        else
        {
            _column++;
        }
        return this;
    }

    // A country's workbook has close to a million cells: each is written from the same prototype elements and one
    // reused attribute list, so a cell costs its reference and its text, not a tree of objects.
    private static readonly string[] StyleIds = [.. Enumerable.Range(0, 16).Select(i => i.ToString(CultureInfo.InvariantCulture))];
    private static readonly OpenXmlAttribute[] Preserve = [new("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve")];
    private readonly Cell _cell = new();
    private readonly CellValue _value = new();
    private readonly InlineString _inline = new();
    private readonly Text _text = new();
    private readonly List<OpenXmlAttribute> _attributes = new(3);

    private void StartCell(CellStyle style, string? type)
    {
        _attributes.Clear();
        _attributes.Add(new OpenXmlAttribute("r", "", Spreadsheet.Reference(_column, _row)));
        if (style != CellStyle.Default)
        {
            _attributes.Add(new OpenXmlAttribute("s", "", StyleIds[(int)style]));
        }
        if (type is not null)
        {
            _attributes.Add(new OpenXmlAttribute("t", "", type));
        }
        _writer.WriteStartElement(_cell, _attributes);
        _column++;
    }

    private void EndRow()
    {
        if (_rowOpen)
        {
            _writer.WriteEndElement();
            _rowOpen = false;
        }
    }

    /// <summary>Ends the sheet data and writes what follows it: merged cells, validations, protection, page setup.</summary>
    public void Finish(IReadOnlyList<string>? merges = null, IReadOnlyList<DataValidation>? validations = null, bool protect = false)
    {
        EndRow();
        if (!_dataOpen)
        {
            _writer.WriteElement(new SheetData());
        }
        else
        {
            _writer.WriteEndElement();
        }
        if (protect)
        {
            _writer.WriteElement(new SheetProtection { Sheet = true, Objects = true, Scenarios = true, FormatColumns = false, FormatRows = false });
        }
        if (merges is { Count: > 0 })
        {
            _writer.WriteElement(new MergeCells(merges.Select(m => new MergeCell { Reference = m })) { Count = (uint)merges.Count });
        }
        if (validations is { Count: > 0 })
        {
            _writer.WriteElement(new DataValidations(validations) { Count = (uint)validations.Count });
        }
        _writer.WriteElement(new PageMargins { Left = 0.5, Right = 0.4, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 });
        _writer.WriteElement(new PageSetup
        {
            PaperSize = 9, // A4
            Orientation = Landscape ? OrientationValues.Landscape : OrientationValues.Portrait,
            FitToWidth = 1,
            FitToHeight = 0,
        });
        _writer.WriteEndElement();
        _writer.Close();
        _stream.Dispose();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}

/// <summary>
/// A workbook written straight into its package, one part after another, with nothing held back in memory: the
/// package is opened write-only (System.IO.Packaging streams each part through the zip as it is written), and every
/// part's XML comes from the Open XML SDK's <see cref="OpenXmlWriter"/>. (The SDK's own package classes need a
/// readable package, and .NET's zip then keeps every part uncompressed in memory until the end — 160 MB for the
/// country's quarter; see ADR-006.) Only one part is open at a time: write each sheet to the end before the next.
/// </summary>
public sealed class XlsxWriter : IDisposable
{
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string WorkbookType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
    private const string WorksheetType = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
    private const string StylesType = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml";

    private readonly Package _package;
    private readonly List<(string Path, string Relationship, string Id)> _parts = [];
    private readonly List<(string Name, string Id, bool Hidden, uint? TitleRow)> _sheets = [];

    public XlsxWriter(Stream output)
    {
        _package = Package.Open(output, FileMode.Create, FileAccess.Write);
        using var styles = Part("styles.xml", StylesType, "styles", "rIdStyles").GetStream(FileMode.Create, FileAccess.Write);
        Spreadsheet.WriteStyles(styles);
    }

    /// <summary>The next sheet; <paramref name="titleRow"/> repeats on every printed page.</summary>
    public SheetWriter AddSheet(string name, SheetLayout layout, uint? titleRow = null) =>
        new(Add(name, layout.Hidden, titleRow).GetStream(FileMode.Create, FileAccess.Write), layout);

    /// <summary>The next sheet, its content copied from a sheet written earlier to a file of its own.</summary>
    public void AddSheet(string name, Stream written, uint? titleRow = null)
    {
        using var stream = Add(name, hidden: false, titleRow).GetStream(FileMode.Create, FileAccess.Write);
        written.CopyTo(stream);
    }

    private PackagePart Add(string name, bool hidden, uint? titleRow)
    {
        var id = "rIdSheet" + (_sheets.Count + 1).ToString(CultureInfo.InvariantCulture);
        var part = Part($"worksheets/sheet{_sheets.Count + 1}.xml", WorksheetType, "worksheet", id);
        _sheets.Add((name, id, hidden, titleRow));
        return part;
    }

    /// <summary>A part under /xl/ (a zip entry can only be written while it is the newest: write it before the next).</summary>
    private PackagePart Part(string path, string contentType, string relationship, string id)
    {
        _parts.Add((path, relationship, id));
        return _package.CreatePart(new Uri("/xl/" + path, UriKind.Relative), contentType, CompressionOption.Normal);
    }

    /// <summary>Writes the workbook part (its sheets and print titles) and closes the package.</summary>
    public void Dispose()
    {
        // The workbook part comes last: it names every sheet, and only the newest entry of the zip can be written.
        var part = _package.CreatePart(new Uri("/xl/workbook.xml", UriKind.Relative), WorkbookType, CompressionOption.Normal);
        _package.CreateRelationship(part.Uri, TargetMode.Internal, Relationships + "/officeDocument", "rId1");
        foreach (var (path, relationship, id) in _parts)
        {
            part.CreateRelationship(new Uri(path, UriKind.Relative), TargetMode.Internal, Relationships + "/" + relationship, id);
        }
        using (var stream = part.GetStream(FileMode.Create, FileAccess.Write))
        using (var writer = OpenXmlWriter.Create(stream))
        {
            var workbook = new Workbook(new Sheets(_sheets.Select((s, i) => new Sheet
            {
                Name = s.Name,
                SheetId = (uint)(i + 1),
                Id = s.Id,
                State = s.Hidden ? SheetStateValues.VeryHidden : null,
            })));
            var titles = _sheets.Select((s, i) => (s, i)).Where(p => p.s.TitleRow is not null).ToList();
            if (titles.Count > 0)
            {
                workbook.Append(new DefinedNames(titles.Select(p => new DefinedName($"'{p.s.Name}'!${p.s.TitleRow}:${p.s.TitleRow}")
                {
                    Name = "_xlnm.Print_Titles",
                    LocalSheetId = (uint)p.i,
                })));
            }
            writer.WriteElement(workbook);
        }
        _package.Close();
    }
}
