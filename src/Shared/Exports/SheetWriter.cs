using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Qcdc.Periods;

namespace Qcdc.Exports;

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
        PagesWide = layout.PagesWide;
    }

    private bool Landscape { get; }

    private uint PagesWide { get; }

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
            FitToWidth = PagesWide,
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
