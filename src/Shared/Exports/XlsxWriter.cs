using System.Globalization;
using System.IO.Packaging;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Qcdc.Exports;

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
    private readonly List<(string Name, string Id, bool Hidden, uint? TitleRow, int RepeatColumns)> _sheets = [];

    public XlsxWriter(Stream output)
    {
        _package = Package.Open(output, FileMode.Create, FileAccess.Write);
        using var styles = Part("styles.xml", StylesType, "styles", "rIdStyles").GetStream(FileMode.Create, FileAccess.Write);
        Spreadsheet.WriteStyles(styles);
    }

    /// <summary>The next sheet; <paramref name="titleRow"/> and the layout's frozen columns repeat on every printed page.</summary>
    public SheetWriter AddSheet(string name, SheetLayout layout, uint? titleRow = null) =>
        new(Add(name, layout.Hidden, titleRow, layout.FrozenColumns).GetStream(FileMode.Create, FileAccess.Write), layout);

    /// <summary>The next sheet, its content copied from a sheet written earlier (with <paramref name="layout"/>) to a file of its own.</summary>
    public void AddSheet(string name, Stream written, SheetLayout layout, uint? titleRow = null)
    {
        using var stream = Add(name, hidden: false, titleRow, layout.FrozenColumns).GetStream(FileMode.Create, FileAccess.Write);
        written.CopyTo(stream);
    }

    private PackagePart Add(string name, bool hidden, uint? titleRow, int repeatColumns)
    {
        var id = "rIdSheet" + (_sheets.Count + 1).ToString(CultureInfo.InvariantCulture);
        var part = Part($"worksheets/sheet{_sheets.Count + 1}.xml", WorksheetType, "worksheet", id);
        _sheets.Add((name, id, hidden, titleRow, repeatColumns));
        return part;
    }

    /// <summary>The print titles of a sheet: its first columns and its header row, either or both.</summary>
    private static string PrintTitles(string name, uint? row, int columns) => string.Join(",", new[]
    {
        columns > 0 ? $"'{name}'!$A:${Spreadsheet.Column(columns - 1)}" : null,
        row is { } r ? $"'{name}'!${r}:${r}" : null,
    }.Where(t => t is not null));

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
            var titles = _sheets.Select((s, i) => (s, i)).Where(p => p.s.TitleRow is not null || p.s.RepeatColumns > 0).ToList();
            if (titles.Count > 0)
            {
                workbook.Append(new DefinedNames(titles.Select(p => new DefinedName(PrintTitles(p.s.Name, p.s.TitleRow, p.s.RepeatColumns))
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
