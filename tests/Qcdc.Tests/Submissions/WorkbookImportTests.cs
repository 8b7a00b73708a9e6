using System.Net;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Qcdc.Exports;
using Qcdc.Tests.Infrastructure;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Submissions;

/// <summary>
/// Past years in from a workbook and from ADX: the rollup workbook's "Số liệu đơn vị" sheet as the export wrote it (or
/// as a clerk edited it, problems named by cell), a sheet with the CSV's columns, and DHIS2's ADX XML.
/// </summary>
public sealed class WorkbookImportTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Import = "/api/manage/imports/QCDC-Q/2024Q3";
    private const string WorkbookType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static ByteArrayContent Workbook(byte[] bytes) => new(bytes) { Headers = { ContentType = new(WorkbookType) } };

    /// <summary>A district's rollup workbook for 2024Q3, two communes reported in it.</summary>
    private async Task<byte[]> ExportedWorkbookAsync()
    {
        await using var source = new ReportingApp(azurite);
        var reporter = await source.ReporterAsync();
        Assert.True((await reporter.SendAsync(Put(Q3 + "/LC-TDG-01", Complete), Ct)).IsSuccessStatusCode);
        Assert.True((await reporter.PostAsync(Q3 + "/LC-TDG-01/submit", null, Ct)).IsSuccessStatusCode);
        var other = await source.ReporterAsync("LC-TDG-02");
        Assert.True((await other.SendAsync(Put(Q3 + "/LC-TDG-02", """{"docs_issued": 5, "cadres_briefed": {"numerator": 40, "denominator": 50}, "land_area": 1.25, "narrative_results": "Đã làm."}"""), Ct)).IsSuccessStatusCode);
        Assert.True((await other.PostAsync(Q3 + "/LC-TDG-02/submit", null, Ct)).IsSuccessStatusCode);
        var response = await source.Admin.GetAsync("/api/exports/QCDC-Q/2024Q3/LC-TDG.xlsx", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    [Fact]
    public async Task TheRollupWorkbookGoesInAsTheReportsItCountedAndTheSameFileTwiceWritesNothing()
    {
        var workbook = await ExportedWorkbookAsync();
        await using var app = new ReportingApp(azurite);
        var reviewer = await app.ReviewerAsync("LC");

        var plan = await (await reviewer.PostAsync(Import + "?fileName=tong-hop-2024Q3.xlsx", Workbook(workbook), Ct)).ReadJsonAsync();
        Assert.Equal(0, plan.GetProperty("problems").GetArrayLength());
        Assert.Equal(["LC-TDG-01", "LC-TDG-02"], plan.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("unit").GetString()));
        Assert.Equal(2, plan.GetProperty("rows").GetInt32());

        var real = await (await reviewer.PostAsync(Import + "?dryRun=false&fileName=tong-hop-2024Q3.xlsx", Workbook(workbook), Ct)).ReadJsonAsync();
        Assert.Equal(2, real.GetProperty("written").GetInt32());
        var values = (await (await app.Admin.GetAsync(Q3 + "/LC-TDG-02", Ct)).ReadJsonAsync()).GetProperty("values");
        Assert.Equal(5, values.GetProperty("docs_issued").GetInt32());
        Assert.Equal(1.25m, values.GetProperty("land_area").GetDecimal());
        Assert.Equal(50, values.GetProperty("cadres_briefed").GetProperty("denominator").GetInt32());
        var first = (await (await app.Admin.GetAsync(Q3 + "/LC-TDG-01", Ct)).ReadJsonAsync()).GetProperty("values");
        Assert.Equal(1, first.GetProperty("dialogues").GetProperty("commune").GetInt32());
        Assert.Equal(0, first.GetProperty("dialogues").GetProperty("district").GetInt32());
        var history = await (await app.Admin.GetAsync(Q3 + "/LC-TDG-01/history", Ct)).ReadJsonAsync();
        Assert.Contains("tong-hop-2024Q3.xlsx", history.GetProperty("revisions")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);

        var again = await (await reviewer.PostAsync(Import + "?dryRun=false", Workbook(workbook), Ct)).ReadJsonAsync();
        Assert.Equal(0, again.GetProperty("written").GetInt32());
        Assert.All(again.GetProperty("reports").EnumerateArray(), r => Assert.Equal("unchanged", r.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task AnEditedWorkbooksProblemsNameTheirCellsAllAtOnceAndNothingIsWritten()
    {
        var workbook = Edit(await ExportedWorkbookAsync(), (header, rows) => new Dictionary<(int, int), object>
        {
            [(rows[1], header["Mã đơn vị"])] = "LC-NOPE",
            [(rows[0], header["Văn bản lãnh đạo, chỉ đạo ban hành"])] = "ba",
            [(rows[0], header["Diện tích đất hiến"])] = "2,5", // typed as text the Vietnamese way: read as 2.5
            [(rows[0] - 1, header["Hộ hiến đất"])] = "Hộ hiến đất (hộ)",
        });
        await using var app = new ReportingApp(azurite);
        var before = await StorageSnapshot.TakeAsync(app.Factory, Ct);

        var plan = await (await app.Admin.PostAsync(Import, Workbook(workbook.Bytes), Ct)).ReadJsonAsync();
        var problems = plan.GetProperty("problems").EnumerateArray()
            .Select(p => (p.GetProperty("row").GetInt32(), p.GetProperty("column").GetString(), p.TryGetProperty("cell", out var c) ? c.GetString() : null)).ToList();
        var docs = Spreadsheet.Column(workbook.Header["Văn bản lãnh đạo, chỉ đạo ban hành"]);
        var land = Spreadsheet.Column(workbook.Header["Hộ hiến đất"]);
        Assert.Equal([
            (workbook.Rows[0] - 1, "Hộ hiến đất (hộ)", $"{land}{workbook.Rows[0] - 1}"),
            (workbook.Rows[0], "docs_issued", $"{docs}{workbook.Rows[0]}"),
            (workbook.Rows[1], "unit", null),
        ], problems);
        Assert.Contains("'ba'", plan.GetProperty("problems")[1].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2.5m, plan.GetProperty("reports")[0].GetProperty("values").GetProperty("land_area").GetDecimal());

        var refused = await app.Admin.PostAsync(Import + "?dryRun=false", Workbook(workbook.Bytes), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains($"{docs}{workbook.Rows[0]}", (await refused.ReadJsonAsync()).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
        Assert.Equal(before, await StorageSnapshot.TakeAsync(app.Factory, Ct));

        var notAWorkbook = await (await app.Admin.PostAsync(Import, Workbook([.. "PK\u0003\u0004"u8, .. new byte[100]]), Ct)).ReadJsonAsync();
        Assert.Contains("Excel", notAWorkbook.GetProperty("problems")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASheetWithTheCsvColumnsAndAnAdxFileGoInToo()
    {
        await using var app = new ReportingApp(azurite);
        using (var output = new MemoryStream())
        {
            using (var book = new XlsxWriter(output))
            using (var sheet = book.AddSheet("Trang 1", new SheetLayout([12, 12, 12, 12])))
            {
                sheet.StartRow().Text("ma_don_vi").Text("ma_chi_tieu").Text("phan_loai").Text("gia_tri");
                sheet.StartRow().Text("LC-TDG-03").Text("docs_issued").Skip().Number(6);
                sheet.StartRow().Text("LC-TDG-03").Text("dialogues").Text("district").Number(2);
                sheet.StartRow().Text("LC-TDG-03").Text("dialogues").Text("commune").Number(0);
                sheet.StartRow().Text("LC-TDG-03").Text("dialogues").Text("village").Number(1);
                sheet.Finish();
            }
            var plan = await (await app.Admin.PostAsync(Import, Workbook(output.ToArray()), Ct)).ReadJsonAsync();
            var problem = Assert.Single(plan.GetProperty("problems").EnumerateArray());
            Assert.Equal("D5", problem.GetProperty("cell").GetString());
            Assert.Equal(2, plan.GetProperty("reports")[0].GetProperty("values").GetProperty("dialogues").GetProperty("district").GetInt32());
        }

        const string adx = """
            <?xml version="1.0" encoding="UTF-8"?>
            <adx xmlns="urn:ihe:qrph:adx:2015" exported="2024-10-05T08:00:00Z">
              <group orgUnit="LC-TDG-04" period="2024-07-01/P3M" dataSet="QCDC-Q">
                <dataValue dataElement="docs_issued" value="9"/>
                <dataValue dataElement="dialogues" level="commune" value="3"/>
                <dataValue dataElement="dialogues" level="district" value="0"/>
                <dataValue dataElement="cadres_briefed" part="numerator" value="12"/>
                <dataValue dataElement="cadres_briefed" part="denominator" value="15"/>
              </group>
              <group orgUnit="LC-TDG-05" period="2024-04-01/P3M" dataSet="QCDC-Q">
                <dataValue dataElement="docs_issued" value="1"/>
              </group>
            </adx>
            """;
        var xml = new StringContent(adx, Encoding.UTF8, "application/adx+xml");
        var dry = await (await app.Admin.PostAsync(Import, xml, Ct)).ReadJsonAsync();
        var wrongPeriod = Assert.Single(dry.GetProperty("problems").EnumerateArray());
        Assert.Equal((6, "period"), (wrongPeriod.GetProperty("row").GetInt32(), wrongPeriod.GetProperty("column").GetString()));

        var written = await app.Admin.PostAsync(Import + "?dryRun=false", new StringContent(adx.Replace("2024-04-01/P3M", "2024-07-01/P3M", StringComparison.Ordinal), Encoding.UTF8, "application/adx+xml"), Ct);
        Assert.Equal(2, (await written.ReadJsonAsync()).GetProperty("written").GetInt32());
        var values = (await (await app.Admin.GetAsync(Q3 + "/LC-TDG-04", Ct)).ReadJsonAsync()).GetProperty("values");
        Assert.Equal(9, values.GetProperty("docs_issued").GetInt32());
        Assert.Equal(3, values.GetProperty("dialogues").GetProperty("commune").GetInt32());
        Assert.Equal(15, values.GetProperty("cadres_briefed").GetProperty("denominator").GetInt32());

        var hostile = """<?xml version="1.0"?><!DOCTYPE adx [<!ENTITY x "y">]><adx><group orgUnit="&x;" period="2024-07-01/P3M"/></adx>""";
        var refused = await (await app.Admin.PostAsync(Import, new StringContent(hostile, Encoding.UTF8, "application/xml"), Ct)).ReadJsonAsync();
        Assert.Equal("adx", Assert.Single(refused.GetProperty("problems").EnumerateArray()).GetProperty("column").GetString());
    }

    private sealed record Edited(byte[] Bytes, IReadOnlyDictionary<string, int> Header, IReadOnlyList<int> Rows);

    /// <summary>
    /// Edits "Số liệu đơn vị" as a clerk would in Excel (text as shared strings): the edits are given by the header's
    /// columns (by their text) and the data rows (their numbers, in order).
    /// </summary>
    private static Edited Edit(byte[] workbook, Func<IReadOnlyDictionary<string, int>, IReadOnlyList<int>, IReadOnlyDictionary<(int Row, int Column), object>> edits)
    {
        var copy = new MemoryStream();
        copy.Write(workbook);
        Dictionary<string, int> header;
        List<int> rows;
        using (var book = SpreadsheetDocument.Open(copy, true))
        {
            var part = book.WorkbookPart!;
            var id = part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == RollupWorkbook.UnitFigures).Id!.Value!;
            var data = ((WorksheetPart)part.GetPartById(id)).Worksheet.GetFirstChild<SheetData>()!;
            var headerRow = data.Elements<Row>().First(r => r.Elements<Cell>().Any(c => c.InnerText == "Mã đơn vị"));
            header = headerRow.Elements<Cell>().ToDictionary(c => c.InnerText, c => Column(c.CellReference!.Value!));
            rows = [.. data.Elements<Row>().Where(r => r.RowIndex! > headerRow.RowIndex!).Select(r => (int)r.RowIndex!.Value)];
            var strings = part.SharedStringTablePart ?? part.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable ??= new SharedStringTable();
            foreach (var ((row, column), value) in edits(header, rows))
            {
                var reference = Spreadsheet.Reference(column, (uint)row);
                var line = data.Elements<Row>().Single(r => r.RowIndex! == (uint)row);
                var cell = line.Elements<Cell>().SingleOrDefault(c => c.CellReference == reference);
                if (cell is null)
                {
                    cell = new Cell { CellReference = reference };
                    line.InsertBefore(cell, line.Elements<Cell>().FirstOrDefault(c => Column(c.CellReference!.Value!) > column));
                }
                cell.InlineString?.Remove();
                strings.SharedStringTable.Append(new SharedStringItem(new Text((string)value)));
                cell.DataType = CellValues.SharedString;
                cell.CellValue = new CellValue(strings.SharedStringTable.Count() - 1);
            }
        }
        return new Edited(copy.ToArray(), header, rows);
    }

    private static int Column(string reference) => WorkbookTable.ColumnOf(reference, 0)!.Value;
}
