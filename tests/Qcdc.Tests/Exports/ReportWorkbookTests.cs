using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Qcdc.Tests.Exports.OpenXmlFiles;

namespace Qcdc.Tests.Exports;

/// <summary>A commune's quarterly form as an Excel workbook: downloaded, filled in, handed back; and what must never be read.</summary>
public sealed class ReportWorkbookTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Url = "/api/submissions/QCDC-Q/2024Q3/LC-TDG-01";
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static async Task<byte[]> FormAsync(HttpClient client, string url = Url)
    {
        var response = await client.GetAsync(url + "/workbook", Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(XlsxType, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    private static HttpRequestMessage Put(byte[] workbook, string url = Url, string? ifMatch = null, string type = XlsxType)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url + "/workbook") { Content = new ByteArrayContent(workbook) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(type);
        request.Headers.AcceptLanguage.ParseAdd("vi");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return request;
    }

    /// <summary>The input cell of an indicator (or of its n-th part, below it), found by its label as a clerk would.</summary>
    internal static string Input(SpreadsheetDocument book, string label, int part = 0)
    {
        var sheet = Sheet(book, "Báo cáo");
        var row = sheet.Descendants<Row>().First(r => r.Elements<Cell>().Any(c => c.CellReference!.Value!.StartsWith('B') && (Text(book, c) == label || Text(book, c) == label + " (*)")));
        return "C" + (row.RowIndex!.Value + (uint)part);
    }

    /// <summary>Types values into cells of the form, as Excel saves them: numbers as numbers, text as shared strings.</summary>
    internal static byte[] Fill(byte[] workbook, Func<SpreadsheetDocument, IReadOnlyDictionary<string, object?>> values)
    {
        var copy = new MemoryStream();
        copy.Write(workbook);
        using (var book = SpreadsheetDocument.Open(copy, true))
        {
            var cells = values(book);
            var sheet = Sheet(book, "Báo cáo");
            var strings = book.WorkbookPart!.SharedStringTablePart ?? book.WorkbookPart.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable ??= new SharedStringTable();
            foreach (var (reference, value) in cells)
            {
                var cell = sheet.Descendants<Cell>().Single(c => c.CellReference == reference);
                cell.InlineString?.Remove();
                switch (value)
                {
                    case null:
                        cell.CellValue = null;
                        cell.DataType = null;
                        break;
                    case string text:
                        strings.SharedStringTable.Append(new SharedStringItem(new Text(text)));
                        cell.DataType = CellValues.SharedString;
                        cell.CellValue = new CellValue(strings.SharedStringTable.Count() - 1);
                        break;
                    default:
                        cell.DataType = null;
                        cell.CellValue = new CellValue(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }
        }
        return copy.ToArray();
    }

    private static async Task AssertNothingWrittenAsync(ReportingApp app, string url = Url) =>
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin.GetAsync(url, Ct)).StatusCode);

    [Fact]
    public async Task AClerkDownloadsTheFormFillsItInAndHandsItBackAsTheReport()
    {
        await using var app = new ReportingApp(azurite);
        var clerk = await app.ReporterAsync("LC-TDG-01");

        var empty = await FormAsync(clerk);

        using (var book = OpenWorkbook(empty))
        {
            Assert.Empty(Errors(book));
            var sheets = book.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().ToList();
            Assert.Equal(["Báo cáo", "_qcdc"], sheets.Select(s => s.Name!.Value));
            Assert.Equal(SheetStateValues.VeryHidden, sheets[1].State!.Value);
            var form = Sheet(book, "Báo cáo");
            Assert.NotNull(form.Elements<SheetProtection>().SingleOrDefault());
            var docs = Input(book, "Văn bản lãnh đạo, chỉ đạo ban hành");
            var validation = form.Descendants<DataValidation>().Single(v => v.SequenceOfReferences!.InnerText == docs);
            Assert.Equal((DataValidationValues.Whole, DataValidationOperatorValues.GreaterThanOrEqual, "0"),
                (validation.Type!.Value, validation.Operator!.Value, validation.Formula1!.Text));
            var area = Input(book, "Diện tích đất hiến");
            Assert.Equal(DataValidationValues.Decimal, form.Descendants<DataValidation>().Single(v => v.SequenceOfReferences!.InnerText == area).Type!.Value);
            // The sections of the paper form head their rows; a required indicator's label ends with "(*)".
            Assert.Contains(form.Descendants<Cell>(), c => Text(book, c) == "I. Công tác lãnh đạo, chỉ đạo, tuyên truyền, quán triệt");
            Assert.Contains(form.Descendants<Cell>(), c => Text(book, c) == "Văn bản lãnh đạo, chỉ đạo ban hành (*)");
            // A ratio asks its two counts by name.
            Assert.Equal("Số cán bộ, đảng viên được quán triệt", Text(book, form.Descendants<Cell>().Single(c => c.CellReference == "B" + Input(book, "Cán bộ, đảng viên được quán triệt", 1)[1..])));
            var narrative = Input(book, "Kết quả");
            Assert.Contains(form.Descendants<MergeCell>(), m => m.Reference == $"{narrative}:E{narrative[1..]}");
            Assert.Contains(Rows(form).Take(4), r => Text(book, r["A"]).Contains("Thị trấn Tam Đường (LC-TDG-01)", StringComparison.Ordinal));
        }

        var filled = Fill(empty, book => new Dictionary<string, object?>
        {
            [Input(book, "Văn bản lãnh đạo, chỉ đạo ban hành")] = 7,
            [Input(book, "Hội nghị đối thoại trực tiếp với Nhân dân", 1)] = 0,
            [Input(book, "Hội nghị đối thoại trực tiếp với Nhân dân", 2)] = 2,
            [Input(book, "Cán bộ, đảng viên được quán triệt", 1)] = 40,
            [Input(book, "Cán bộ, đảng viên được quán triệt", 2)] = 50,
            [Input(book, "Diện tích đất hiến")] = 120.5m,
            [Input(book, "Kết quả")] = "- Đã tổ chức 2 hội nghị đối thoại.",
        });
        var created = await clerk.SendAsync(Put(filled), Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);
        var values = (await (await clerk.GetAsync(Url, Ct)).ReadJsonAsync()).GetProperty("values");
        Assert.Equal(7, values.GetProperty("docs_issued").GetInt32());
        Assert.Equal((0, 2), (values.GetProperty("dialogues").GetProperty("district").GetInt32(), values.GetProperty("dialogues").GetProperty("commune").GetInt32()));
        Assert.Equal(40, values.GetProperty("cadres_briefed").GetProperty("numerator").GetInt32());
        Assert.Equal(120.5m, values.GetProperty("land_area").GetDecimal());
        Assert.Equal("- Đã tổ chức 2 hội nghị đối thoại.", values.GetProperty("narrative_results").GetString());

        // Downloaded again it is pre-filled; handed back unchanged it is the very same report (no revision, same ETag).
        var again = await FormAsync(clerk);
        using (var book = OpenWorkbook(again))
        {
            var form = Sheet(book, "Báo cáo");
            Assert.Equal(7m, Number(form.Descendants<Cell>().Single(c => c.CellReference == Input(book, "Văn bản lãnh đạo, chỉ đạo ban hành"))));
            Assert.Equal("'- Đã tổ chức 2 hội nghị đối thoại.", Text(book, form.Descendants<Cell>().Single(c => c.CellReference == Input(book, "Kết quả"))));
        }
        // The workbook carries the revision it was filled from: it is the condition when the request sends no If-Match.
        var withoutIfMatch = await clerk.SendAsync(Put(again), Ct);
        Assert.Equal((HttpStatusCode.OK, "\"1\""), (withoutIfMatch.StatusCode, withoutIfMatch.Headers.ETag!.Tag));
        var unchanged = await clerk.SendAsync(Put(again, ifMatch: "\"1\""), Ct);
        Assert.Equal((HttpStatusCode.OK, "\"1\""), (unchanged.StatusCode, unchanged.Headers.ETag!.Tag));
        var after = (await (await clerk.GetAsync(Url, Ct)).ReadJsonAsync()).GetProperty("values");
        Assert.Equal(values.GetRawText(), after.GetRawText());

        var corrected = Fill(again, book => new Dictionary<string, object?> { [Input(book, "Văn bản lãnh đạo, chỉ đạo ban hành")] = 8 });
        var updated = await clerk.SendAsync(Put(corrected, ifMatch: "\"1\""), Ct);
        Assert.Equal((HttpStatusCode.OK, "\"2\""), (updated.StatusCode, updated.Headers.ETag!.Tag));
        var history = await (await clerk.GetAsync(Url + "/history", Ct)).ReadJsonAsync();
        Assert.Equal(2, history.GetProperty("revisions").GetArrayLength());
    }

    [Fact]
    public async Task ARetryWithTheSameIdempotencyKeyReplaysAndNothingIsWrittenTwice()
    {
        await using var app = new ReportingApp(azurite);
        var clerk = await app.ReporterAsync("LC-TDG-01");
        var filled = Fill(await FormAsync(clerk), book => new Dictionary<string, object?> { [Input(book, "Văn bản lãnh đạo, chỉ đạo ban hành")] = 2 });

        var first = Put(filled);
        first.Headers.Add("Idempotency-Key", "wb-1");
        var second = Put(filled);
        second.Headers.Add("Idempotency-Key", "wb-1");
        Assert.Equal(HttpStatusCode.Created, (await clerk.SendAsync(first, Ct)).StatusCode);
        var replay = await clerk.SendAsync(second, Ct);

        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, (await (await clerk.GetAsync(Url + "/history", Ct)).ReadJsonAsync()).GetProperty("revisions").GetArrayLength());
    }

    [Fact]
    public async Task EveryProblemNamesItsCellAndLabelAndNothingIsWritten()
    {
        await using var app = new ReportingApp(azurite);
        var clerk = await app.ReporterAsync("LC-TDG-01");
        var empty = await FormAsync(clerk);
        string docs = "", commune = "";

        var typed = Fill(empty, book => new Dictionary<string, object?> { [docs = Input(book, "Văn bản lãnh đạo, chỉ đạo ban hành")] = "mười" });
        var notANumber = await clerk.SendAsync(Put(typed), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, notANumber.StatusCode);
        var problem = await notANumber.ReadJsonAsync();
        var error = problem.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal(docs, error.GetProperty("field").GetString());
        Assert.Equal($"{docs} — Văn bản lãnh đạo, chỉ đạo ban hành: cần nhập số.", error.GetProperty("message").GetString());

        var wrong = Fill(empty, book => new Dictionary<string, object?>
        {
            [Input(book, "Văn bản lãnh đạo, chỉ đạo ban hành")] = 1.5m,
            [Input(book, "Hội nghị đối thoại trực tiếp với Nhân dân", 1)] = 1,
            [commune = Input(book, "Hội nghị đối thoại trực tiếp với Nhân dân", 2)] = -2,
        });
        var refused = await clerk.SendAsync(Put(wrong), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var errors = (await refused.ReadJsonAsync()).GetProperty("errors").EnumerateArray()
            .ToDictionary(e => e.GetProperty("field").GetString()!, e => e.GetProperty("message").GetString()!);
        Assert.StartsWith($"{docs} — Văn bản lãnh đạo, chỉ đạo ban hành: phải là số nguyên", errors[docs], StringComparison.Ordinal);
        Assert.StartsWith($"{commune} — Hội nghị đối thoại trực tiếp với Nhân dân: không được âm", errors[commune], StringComparison.Ordinal);
        await AssertNothingWrittenAsync(app);
    }

    [Fact]
    public async Task AWorkbookWithSomeBadCellsSavesTheRestAndNamesEveryProblemAndCheckByCell()
    {
        await using var app = new ReportingApp(azurite);
        var clerk = await app.ReporterAsync("LC-TDG-01");
        var empty = await FormAsync(clerk);
        string receptions = "", received = "", resolved = "";

        var filled = Fill(empty, book => new Dictionary<string, object?>
        {
            [Input(book, "Văn bản lãnh đạo, chỉ đạo ban hành")] = 4,
            [receptions = Input(book, "Cuộc tiếp công dân của người đứng đầu")] = "hai",
            [received = Input(book, "Đơn thư khiếu nại, tố cáo tiếp nhận")] = 2,
            [resolved = Input(book, "Đơn thư đã giải quyết")] = 3,
        });
        var response = await clerk.SendAsync(Put(filled), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var report = await response.ReadJsonAsync();
        Assert.Equal(4, report.GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.False(report.GetProperty("values").TryGetProperty("receptions", out _));
        var refused = Assert.Single(report.GetProperty("refused").EnumerateArray());
        Assert.Equal(receptions, refused.GetProperty("field").GetString());
        Assert.StartsWith($"{receptions} — Cuộc tiếp công dân của người đứng đầu", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        var check = Assert.Single(report.GetProperty("checks").EnumerateArray());
        Assert.StartsWith($"{resolved}, {received} — Số đơn thư đã giải quyết không vượt quá", check.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkbookFilledFromAnOlderRevisionIsRefusedSayingSoAndNothingIsWritten()
    {
        await using var app = new ReportingApp(azurite);
        var clerk = await app.ReporterAsync("LC-TDG-01");
        var before = await FormAsync(clerk); // revision 0: the report does not exist yet
        Assert.Equal(HttpStatusCode.Created, (await clerk.SendAsync(ReportingApp.Put(Url, """{"docs_issued": 1}"""), Ct)).StatusCode);
        var atOne = await FormAsync(clerk);
        Assert.Equal(HttpStatusCode.OK, (await clerk.SendAsync(ReportingApp.Put(Url, """{"docs_issued": 2}""", "\"1\""), Ct)).StatusCode);

        var fromNothing = await clerk.SendAsync(Put(Fill(before, book => new Dictionary<string, object?> { [Input(book, "Văn bản lãnh đạo, chỉ đạo ban hành")] = 9 })), Ct);
        var fromOne = await clerk.SendAsync(Put(Fill(atOne, book => new Dictionary<string, object?> { [Input(book, "Văn bản lãnh đạo, chỉ đạo ban hành")] = 9 })), Ct);

        Assert.Equal(HttpStatusCode.PreconditionFailed, fromNothing.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, fromOne.StatusCode);
        Assert.StartsWith("Tệp Excel này được tải về khi báo cáo ở lần sửa 1; báo cáo nay đã ở lần sửa 2",
            (await fromOne.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await (await clerk.GetAsync(Url, Ct)).ReadJsonAsync()).GetProperty("values").GetProperty("docs_issued").GetInt32());

        var current = await clerk.SendAsync(Put(Fill(await FormAsync(clerk), book => new Dictionary<string, object?> { [Input(book, "Văn bản lãnh đạo, chỉ đạo ban hành")] = 9 })), Ct);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal(9, (await current.ReadJsonAsync()).GetProperty("values").GetProperty("docs_issued").GetInt32());
    }

    [Fact]
    public async Task AWorkbookOfAnotherUnitOrPeriodIsRefusedSayingWhoseItIs()
    {
        await using var app = new ReportingApp(azurite);
        var workbook = await FormAsync(app.Admin);

        var otherUnit = await app.Admin.SendAsync(Put(workbook, "/api/submissions/QCDC-Q/2024Q3/LC-TDG-02"), Ct);
        var otherPeriod = await app.Admin.SendAsync(Put(workbook, "/api/submissions/QCDC-Q/2024Q2/LC-TDG-01"), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherUnit.StatusCode);
        var detail = (await otherUnit.ReadJsonAsync()).GetProperty("detail").GetString()!;
        Assert.Contains("LC-TDG-01 kỳ 2024Q3", detail, StringComparison.Ordinal);
        Assert.Contains("LC-TDG-02 kỳ 2024Q3", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherPeriod.StatusCode);
        await AssertNothingWrittenAsync(app, "/api/submissions/QCDC-Q/2024Q3/LC-TDG-02");
        await AssertNothingWrittenAsync(app, "/api/submissions/QCDC-Q/2024Q2/LC-TDG-01");
    }

    private static byte[] Zip(Action<ZipArchive> build)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            build(zip);
        }
        return output.ToArray();
    }

    /// <summary>The downloaded form with one more part in its package.</summary>
    private static byte[] WithPart(byte[] workbook, string name, byte[] content) => Zip(zip =>
    {
        using var source = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read);
        foreach (var entry in source.Entries)
        {
            using var from = entry.Open();
            using var to = zip.CreateEntry(entry.FullName).Open();
            from.CopyTo(to);
        }
        using var extra = zip.CreateEntry(name).Open();
        extra.Write(content);
    });

    public static TheoryData<string> HostileFiles => ["not a zip", "zip bomb", "thousands of parts", "many sheets", "thousands of rows", "macros", "external links"];

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public async Task HostileFilesAreRefusedWithinBoundsAndNothingIsWritten(string kind)
    {
        await using var app = new ReportingApp(azurite);
        var form = await FormAsync(app.Admin);
        var (file, expected) = kind switch
        {
            "not a zip" => (Encoding.UTF8.GetBytes("STT;Chỉ tiêu;Số liệu\n1;Văn bản;3\n"), "không phải sổ tính Excel"),
            "zip bomb" => (Zip(zip =>
            {
                using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
                var zeros = new byte[1024 * 1024];
                for (var i = 0; i < 64; i++)
                {
                    sheet.Write(zeros);
                }
            }), "giải nén ra quá lớn"),
            "thousands of parts" => (Zip(zip =>
            {
                for (var i = 0; i < 3000; i++)
                {
                    zip.CreateEntry($"xl/worksheets/sheet{i}.xml");
                }
            }), "3000 thành phần"),
            "many sheets" => (ManySheets(form, 20), "22 trang tính"),
            "thousands of rows" => (ManyRows(form, 5000), "hơn 1000 dòng"),
            "macros" => (WithPart(form, "xl/vbaProject.bin", [0xD0, 0xCF, 0x11, 0xE0]), "macro"),
            "external links" => (WithPart(form, "xl/externalLinks/externalLink1.xml", Encoding.UTF8.GetBytes("<externalLink/>")), "liên kết"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var response = await app.Admin.SendAsync(Put(file), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(expected, (await response.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync(app);
    }

    [Fact]
    public async Task OnlyAnXlsxBodyIsReadAMacroWorkbookTypeIsRefused()
    {
        await using var app = new ReportingApp(azurite);
        var form = await FormAsync(app.Admin);

        var macro = await app.Admin.SendAsync(Put(form, type: "application/vnd.ms-excel.sheet.macroEnabled.12"), Ct);
        var json = await app.Admin.SendAsync(Put(Encoding.UTF8.GetBytes("{\"values\":{}}"), type: "application/json"), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, macro.StatusCode);
        Assert.Contains(".xlsm", (await macro.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        await AssertNothingWrittenAsync(app);
    }

    private static byte[] ManySheets(byte[] workbook, int count)
    {
        var copy = new MemoryStream();
        copy.Write(workbook);
        using (var book = SpreadsheetDocument.Open(copy, true))
        {
            var part = book.WorkbookPart!;
            for (var i = 0; i < count; i++)
            {
                var sheet = part.AddNewPart<WorksheetPart>();
                sheet.Worksheet = new Worksheet(new SheetData());
                part.Workbook.Sheets!.Append(new Sheet { Name = $"Trang {i}", SheetId = (uint)(10 + i), Id = part.GetIdOfPart(sheet) });
            }
        }
        return copy.ToArray();
    }

    private static byte[] ManyRows(byte[] workbook, int count)
    {
        var copy = new MemoryStream();
        copy.Write(workbook);
        using (var book = SpreadsheetDocument.Open(copy, true))
        {
            var data = Sheet(book, "Báo cáo").GetFirstChild<SheetData>()!;
            var last = data.Elements<Row>().Last().RowIndex!.Value;
            for (var i = 1; i <= count; i++)
            {
                data.Append(new Row(new Cell { CellReference = $"C{last + i}", CellValue = new CellValue(i) }) { RowIndex = last + (uint)i });
            }
        }
        return copy.ToArray();
    }
}
