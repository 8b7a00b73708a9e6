using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;

namespace Qcdc.Tests.Exports;

/// <summary>Reads produced files back with the Open XML SDK, the way a spreadsheet or word processor would see them.</summary>
internal static class OpenXmlFiles
{
    public static SpreadsheetDocument OpenWorkbook(byte[] bytes) => SpreadsheetDocument.Open(new MemoryStream(bytes), false);

    /// <summary>Schema errors the SDK's validator finds (Office 2019 rules); empty for a well-formed file.</summary>
    public static IReadOnlyList<string> Errors(DocumentFormat.OpenXml.Packaging.OpenXmlPackage package) =>
        [.. new OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2019).Validate(package).Select(e => $"{e.Path?.XPath} {e.Description}")];

    public static Worksheet Sheet(SpreadsheetDocument document, string name)
    {
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
        return ((WorksheetPart)workbook.GetPartById(sheet.Id!)).Worksheet;
    }

    public static string Text(SpreadsheetDocument document, Cell cell)
    {
        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString!.InnerText;
        }
        if (cell.DataType?.Value == CellValues.SharedString)
        {
            return document.WorkbookPart!.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>().ElementAt(int.Parse(cell.CellValue!.Text)).InnerText;
        }
        return cell.CellValue?.Text ?? "";
    }

    /// <summary>Every row as the texts of its cells by column letter.</summary>
    public static List<Dictionary<string, Cell>> Rows(Worksheet sheet) =>
        [.. sheet.Descendants<Row>().Select(r => r.Elements<Cell>().ToDictionary(c => new string([.. c.CellReference!.Value!.TakeWhile(char.IsLetter)]), c => c))];

    public static Dictionary<string, Cell> RowWith(SpreadsheetDocument document, Worksheet sheet, string column, string text) =>
        Rows(sheet).First(r => r.TryGetValue(column, out var c) && Text(document, c) == text);

    public static decimal Number(Cell cell)
    {
        Assert.True(cell.DataType is null || cell.DataType.Value == CellValues.Number, $"{cell.CellReference} is {cell.DataType?.Value}, not a number");
        return decimal.Parse(cell.CellValue!.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static IEnumerable<string> AllTexts(SpreadsheetDocument document) =>
        document.WorkbookPart!.WorksheetParts.SelectMany(p => p.Worksheet.Descendants<Cell>())
            .Where(c => c.DataType?.Value is { } t && (t == CellValues.InlineString || t == CellValues.SharedString)).Select(c => Text(document, c));

    public static bool IsNfc(string text) => text.IsNormalized(NormalizationForm.FormC);
}
