using System.Net;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Wordprocessing;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Qcdc.Tests.Exports.OpenXmlFiles;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Exports;

/// <summary>The workbook, CSV and report document of a rollup, downloaded through the API and opened with the Open XML SDK.</summary>
public sealed class ExportsApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Injected = "=HYPERLINK(\"http://example.invalid\",\"Bấm vào đây\")";

    private static async Task FileAsync(ReportingApp app, string period, string unit, string values, bool submit = true)
    {
        var url = $"/api/submissions/QCDC-Q/{period}/{unit}";
        var saved = await app.Admin.SendAsync(Put(url, values), Ct);
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync(Ct));
        if (submit)
        {
            var submitted = await app.Admin.PostAsync(url + "/submit", null, Ct);
            Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync(Ct));
        }
    }

    private static async Task<ReportingApp> DistrictAsync(AzuriteFixture azurite)
    {
        var app = new ReportingApp(azurite);
        await FileAsync(app, "2024Q3", "LC-TDG-01", Complete.Replace("\"docs_issued\": 3", "\"docs_issued\": 14646", StringComparison.Ordinal));
        await FileAsync(app, "2024Q3", "LC-TDG-02", """
            {"docs_issued": 5, "receptions": 1, "dialogues": {"district": 1, "commune": 2}, "cadres_briefed": {"numerator": 989, "denominator": 1000},
             "land_area": 1250.5, "narrative_limitations": "Một số thôn chưa họp đủ.", "narrative_results": "=HYPERLINK(\"http://example.invalid\",\"Bấm vào đây\")"}
            """);
        await FileAsync(app, "2024Q3", "LC-TDG-03", Complete, submit: false); // a draft: not counted
        return app;
    }

    private static async Task<byte[]> DownloadAsync(HttpClient client, string url, string contentType)
    {
        var response = await client.GetAsync(url, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.DispositionType ?? "", StringComparison.Ordinal);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    [Fact]
    public async Task TheWorkbookOfADistrictHasItsTotalsByCommuneAsNumbersWithProgressFiguresAndNarratives()
    {
        await using var app = await DistrictAsync(azurite);
        var reviewer = await app.ReviewerAsync("LC-TDG");
        var rollup = await (await reviewer.GetAsync("/api/rollups/QCDC-Q/2024Q3/LC-TDG", Ct)).ReadJsonAsync();

        var bytes = await DownloadAsync(reviewer, "/api/exports/QCDC-Q/2024Q3/LC-TDG.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        using var book = OpenWorkbook(bytes);
        Assert.Empty(Errors(book));
        Assert.Equal(["Tổng hợp", "Tiến độ", "Số liệu đơn vị", "Thuyết minh", "Kiểm tra số liệu"], book.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value));
        Assert.All(AllTexts(book), t => Assert.True(IsNfc(t), t));

        var summary = Sheet(book, "Tổng hợp");
        var titles = Rows(summary).Take(4).Select(r => Text(book, r["A"])).ToList();
        Assert.Contains(titles, t => t.Contains("Quý III năm 2024", StringComparison.Ordinal));
        Assert.Contains(titles, t => t.Contains("Huyện Tam Đường (LC-TDG)", StringComparison.Ordinal));
        Assert.Contains(titles, t => t.Contains("10/09/2024 10:00", StringComparison.Ordinal)); // computedAt in Vietnam time
        var header = RowWith(book, summary, "A", "STT");
        Assert.Equal("Toàn Huyện Tam Đường", Text(book, header["D"]));
        var columns = header.ToDictionary(c => Text(book, c.Value), c => c.Key);
        var docs = RowWith(book, summary, "B", "Văn bản lãnh đạo, chỉ đạo ban hành");
        Assert.Equal(rollup.GetProperty("values").GetProperty("docs_issued").GetDecimal(), Number(docs["D"]));
        Assert.Equal(14_651m, Number(docs["D"]));
        Assert.Equal(14_646m, Number(docs[columns["Thị trấn Tam Đường"]]));
        Assert.Equal(5m, Number(docs[columns["Xã Thèn Sin"]]));
        Assert.False(docs.ContainsKey(columns["Xã Tả Lèng"]) && docs[columns["Xã Tả Lèng"]].CellValue is not null); // a draft is not counted
        var dialogues = RowWith(book, summary, "B", "Hội nghị đối thoại trực tiếp với Nhân dân");
        Assert.Equal(4m, Number(dialogues["D"]));
        var summaryRows = Rows(summary);
        var dialoguesAt = summaryRows.FindIndex(r => r.TryGetValue("B", out var b) && Text(book, b) == "Hội nghị đối thoại trực tiếp với Nhân dân");
        var commune = summaryRows.Skip(dialoguesAt + 1).Take(2).ToList();
        Assert.Equal(["Cấp huyện", "Cấp xã"], commune.Select(r => Text(book, r["B"])));
        Assert.Equal(3m, Number(commune[1]["D"]));
        var briefed = RowWith(book, summary, "B", "Cán bộ, đảng viên được quán triệt");
        Assert.Equal(0.989m, Number(briefed["D"]));
        Assert.Equal((uint)Qcdc.Exports.CellStyle.Percent, briefed["D"].StyleIndex!.Value);
        var area = RowWith(book, summary, "B", "Diện tích đất hiến");
        Assert.Equal(1250.5m, Number(area["D"]));
        Assert.Equal("m²", Text(book, area["C"]));

        // Every indicator's total on the sheet is the JSON rollup's, as a number.
        var json = rollup.GetProperty("values");
        var compared = 0;
        foreach (var indicator in json.EnumerateObject())
        {
            var label = (await (await reviewer.GetAsync("/api/forms/QCDC-Q?period=2024Q3", Ct)).ReadJsonAsync()).GetProperty("indicators").EnumerateArray()
                .First(i => i.GetProperty("code").GetString() == indicator.Name).GetProperty("label").GetString()!;
            var expected = indicator.Value.ValueKind == JsonValueKind.Number ? indicator.Value.GetDecimal()
                : indicator.Value.TryGetProperty("total", out var t) ? t.GetDecimal() : indicator.Value.GetProperty("value").GetDecimal();
            Assert.Equal(expected, Number(RowWith(book, summary, "B", label)["D"]));
            compared++;
        }
        Assert.True(compared >= 5, $"{compared} indicators compared");

        var pane = summary.Descendants<Pane>().Single();
        Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.PaneStateValues.Frozen, pane.State!.Value);
        Assert.Equal(6d, pane.VerticalSplit!.Value);
        var setup = summary.Elements<PageSetup>().Single();
        Assert.Equal((9u, DocumentFormat.OpenXml.Spreadsheet.OrientationValues.Landscape), (setup.PaperSize!.Value, setup.Orientation!.Value));
        Assert.Contains(summary.Descendants<DocumentFormat.OpenXml.Spreadsheet.Column>(), c => c.CustomWidth?.Value == true);
        var printTitles = book.WorkbookPart.Workbook.DefinedNames!.Elements<DefinedName>().Where(d => d.Name == "_xlnm.Print_Titles").ToList();
        Assert.Equal(5, printTitles.Count);
        // The unit's columns and the header row repeat on every page; a wide sheet prints on pages side by side at full
        // size instead of shrunk onto one: the summary's 15 communes on 3, the figures' 40 columns on more, the
        // progress sheet on one.
        Assert.Equal("'Tổng hợp'!$A:$B,'Tổng hợp'!$6:$6", printTitles[0].Text);
        Assert.Contains(printTitles, t => t.Text == "'Số liệu đơn vị'!$A:$B,'Số liệu đơn vị'!$6:$6");
        Assert.Equal(3u, setup.FitToWidth!.Value);
        Assert.Equal(1u, Sheet(book, "Tiến độ").Elements<PageSetup>().Single().FitToWidth!.Value);
        var figuresSetup = Sheet(book, "Số liệu đơn vị").Elements<PageSetup>().Single();
        Assert.True(figuresSetup.FitToWidth!.Value is > 1 and < 10, $"{figuresSetup.FitToWidth.Value} pages wide");
        Assert.Equal(0u, figuresSetup.FitToHeight!.Value);

        var progress = Sheet(book, "Tiến độ");
        var sent = RowWith(book, progress, "B", "LC-TDG-02");
        Assert.Equal(("Xã Thèn Sin", "Xã", "Đã gửi", "Đúng hạn"), (Text(book, sent["C"]), Text(book, sent["D"]), Text(book, sent["E"]), Text(book, sent["G"])));
        Assert.Equal(new DateTime(2024, 9, 10, 10, 0, 0), DateTime.FromOADate((double)Number(sent["F"])));
        Assert.Equal((uint)Qcdc.Exports.CellStyle.DateTime, sent["F"].StyleIndex!.Value);
        Assert.Equal("Chưa báo cáo", Text(book, RowWith(book, progress, "B", "LC-TDG-04")["E"]));
        Assert.Equal("Nháp", Text(book, RowWith(book, progress, "B", "LC-TDG-03")["E"]));
        // No code is cut: the column of codes is as wide as the longest one.
        var codes = Rows(progress).Where(r => r.ContainsKey("B")).Select(r => Text(book, r["B"])).Where(t => t.StartsWith("LC", StringComparison.Ordinal)).ToList();
        Assert.True(progress.Descendants<DocumentFormat.OpenXml.Spreadsheet.Column>().Single(c => c.Min!.Value == 2).Width!.Value >= codes.Max(c => c.Length) + 1);
        var total = RowWith(book, progress, "C", "Toàn Huyện Tam Đường");
        Assert.Equal((15m, 2m), (Number(total["D"]), Number(total["E"])));

        var figures = Sheet(book, "Số liệu đơn vị");
        var figureHeader = RowWith(book, figures, "A", "Mã đơn vị");
        var figureColumns = figureHeader.ToDictionary(c => Text(book, c.Value), c => c.Key);
        var reported = Rows(figures).Where(r => r.TryGetValue("A", out var a) && Text(book, a).StartsWith("LC-TDG-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["LC-TDG-01", "LC-TDG-02"], reported.Select(r => Text(book, r["A"])));
        Assert.Equal(989m, Number(reported[1][figureColumns["Cán bộ, đảng viên được quán triệt — tử số"]]));
        Assert.Equal(2m, Number(reported[1][figureColumns["Hội nghị đối thoại trực tiếp với Nhân dân — Cấp xã"]]));

        var narratives = Sheet(book, "Thuyết minh");
        var thenSin = RowWith(book, narratives, "A", "LC-TDG-02");
        var texts = thenSin.Values.Select(c => Text(book, c)).ToList();
        Assert.Contains("Một số thôn chưa họp đủ.", texts);
        Assert.Contains("'" + Injected, texts); // a formula typed as a narrative stays text
        Assert.DoesNotContain(book.WorkbookPart.WorksheetParts.SelectMany(p => p.Worksheet.Descendants<CellFormula>()), f => true);
    }

    [Fact]
    public async Task TheCsvIsLongFormatUtf8WithBomAndQuotedFields()
    {
        await using var app = await DistrictAsync(azurite);
        var reviewer = await app.ReviewerAsync("LC-TDG");

        var bytes = await DownloadAsync(reviewer, "/api/exports/QCDC-Q/2024Q3/LC-TDG.csv", "text/csv");

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.True(IsNfc(text));
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Mã đơn vị,Tên đơn vị,Mã chỉ tiêu,Chỉ tiêu,Phân loại,Giá trị,Tử số,Mẫu số,Thuyết minh", lines[0]);
        Assert.Contains("LC-TDG,Huyện Tam Đường,docs_issued,\"Văn bản lãnh đạo, chỉ đạo ban hành\",,14651,,,", lines);
        Assert.Contains("LC-TDG-02,Xã Thèn Sin,cadres_briefed,\"Cán bộ, đảng viên được quán triệt\",,0.989,989,1000,", lines);
        Assert.Contains("LC-TDG,Huyện Tam Đường,dialogues,Hội nghị đối thoại trực tiếp với Nhân dân — Cấp xã,commune,3,,,", lines);
        Assert.Contains("LC-TDG,Huyện Tam Đường,dialogues,Hội nghị đối thoại trực tiếp với Nhân dân,,4,,,", lines);
        Assert.Contains("LC-TDG-02,Xã Thèn Sin,land_area,Diện tích đất hiến,,1250.5,,,", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("LC-TDG-03,", StringComparison.Ordinal) && l.Contains("docs_issued", StringComparison.Ordinal));

        // The reports' narratives follow the figures, a formula typed as one neutralised as in the workbook.
        Assert.Contains("LC-TDG-02,Xã Thèn Sin,narrative_limitations,\"Hạn chế, nguyên nhân\",,,,,Một số thôn chưa họp đủ.", lines);
        Assert.Contains(lines, l => l.StartsWith("LC-TDG-02,Xã Thèn Sin,narrative_results,Kết quả,,,,,\"'=HYPERLINK(", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(",=HYPERLINK", StringComparison.Ordinal) || l.Contains(",\"=HYPERLINK", StringComparison.Ordinal));

        var codes = Encoding.UTF8.GetString(await DownloadAsync(reviewer, "/api/exports/QCDC-Q/2024Q3/LC-TDG.csv?headers=codes", "text/csv")).TrimStart('\uFEFF');
        Assert.StartsWith("unit_code,unit_name,indicator_code,label,category,value,numerator,denominator,text\r\n", codes, StringComparison.Ordinal);
        var semicolons = Encoding.UTF8.GetString(await DownloadAsync(reviewer, "/api/exports/QCDC-Q/2024Q3/LC-TDG.csv?sep=semicolon", "text/csv")).TrimStart('\uFEFF');
        Assert.StartsWith("sep=;\r\nMã đơn vị;Tên đơn vị;", semicolons, StringComparison.Ordinal);
        Assert.Contains("LC-TDG;Huyện Tam Đường;docs_issued;Văn bản lãnh đạo, chỉ đạo ban hành;;14651;;;", semicolons, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.GetAsync("/api/exports/QCDC-Q/2024Q3/LC-TDG.csv?sep=tab", Ct)).StatusCode);
    }

    [Fact]
    public async Task TheReportDocumentIsTheDraftOfDecree30WithTheFiguresInSentences()
    {
        await using var app = await DistrictAsync(azurite);
        var reviewer = await app.ReviewerAsync("LC-TDG");

        var bytes = await DownloadAsync(reviewer, "/api/reports/QCDC-Q/2024Q3/LC-TDG.docx?number=5&date=2024-10-05&signer=Nguy%E1%BB%85n%20V%C4%83n%20A",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

        using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        Assert.Empty(Errors(document));
        var main = document.MainDocumentPart!;
        var section = main.Document.Body!.Elements<SectionProperties>().Single();
        var size = section.GetFirstChild<PageSize>()!;
        Assert.Equal((11906u, 16838u), (size.Width!.Value, size.Height!.Value)); // A4 portrait
        var margins = section.GetFirstChild<PageMargin>()!;
        Assert.Equal((1134, 1134, 1701u, 1134u), (margins.Top!.Value, margins.Bottom!.Value, margins.Left!.Value, margins.Right!.Value)); // 20, 20, 30, 20 mm
        Assert.NotNull(section.GetFirstChild<TitlePage>()); // no page number on the first page
        Assert.Contains(main.HeaderParts.Single().Header.Descendants<SimpleField>(), f => f.Instruction!.Value!.Contains("PAGE", StringComparison.Ordinal));
        var fonts = main.StyleDefinitionsPart!.Styles!.DocDefaults!.Descendants<RunFonts>().Single();
        Assert.Equal("Times New Roman", fonts.Ascii!.Value);

        var paragraphs = main.Document.Body.Descendants<Paragraph>().Select(p => p.InnerText).Where(t => t.Length > 0).ToList();
        Assert.All(paragraphs, p => Assert.True(IsNfc(p), p));
        Assert.Contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", paragraphs);
        Assert.Contains("Độc lập - Tự do - Hạnh phúc", paragraphs);
        Assert.Contains("ỦY BAN NHÂN DÂN HUYỆN TAM ĐƯỜNG", paragraphs);
        Assert.Contains("Số: 05/BC-UBND", paragraphs);
        Assert.Contains("Lai Châu, ngày 05 tháng 10 năm 2024", paragraphs);
        Assert.Contains("BÁO CÁO", paragraphs);
        Assert.Contains("Kết quả thực hiện Quy chế dân chủ ở cơ sở quý III năm 2024", paragraphs);
        Assert.Contains("I. KẾT QUẢ THỰC HIỆN", paragraphs);
        Assert.Contains("Ban hành 14.651 văn bản lãnh đạo, chỉ đạo thực hiện Quy chế dân chủ ở cơ sở.", paragraphs);
        Assert.Contains("Cán bộ, đảng viên được quán triệt: 989/1.000 người (98,9%).", paragraphs);
        // Sentences from the form's own templates, the categories that are not zero after "trong đó".
        Assert.Contains("Tổ chức 4 cuộc đối thoại trực tiếp với Nhân dân, trong đó 1 cuộc cấp huyện, 3 cuộc cấp xã.", paragraphs);
        // The areas are numbered without a gap however many of the form's sections have nothing to say.
        var numbered = paragraphs.Select(p => System.Text.RegularExpressions.Regex.Match(p, @"^(\d+)\. ")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, numbered.Count), numbered);
        Assert.True(numbered.Count >= 3, string.Join(" | ", paragraphs));
        Assert.Contains(paragraphs, p => p.StartsWith("Tình hình báo cáo: 2/15 đơn vị đã báo cáo (đạt 13,3%)", StringComparison.Ordinal));
        Assert.Contains("II. HẠN CHẾ, NGUYÊN NHÂN", paragraphs);
        Assert.Contains("Xã Thèn Sin: Một số thôn chưa họp đủ.", paragraphs);
        Assert.Contains("III. PHƯƠNG HƯỚNG, NHIỆM VỤ", paragraphs);
        Assert.Contains("TM. ỦY BAN NHÂN DÂN", paragraphs);
        Assert.Contains("CHỦ TỊCH", paragraphs);
        Assert.Contains("Nguyễn Văn A", paragraphs);
        Assert.Contains("Nơi nhận:", paragraphs);
        Assert.Contains("- Lưu: VT.", paragraphs);
        Assert.Contains("PHỤ LỤC", paragraphs);
        var appendix = main.Document.Body.Elements<DocumentFormat.OpenXml.Wordprocessing.Table>().Last();
        var row = appendix.Elements<TableRow>().First(r => r.InnerText.Contains("Diện tích đất hiến", StringComparison.Ordinal));
        Assert.Equal("1.250,5", row.Elements<TableCell>().Last().InnerText);
    }

    /// <summary>
    /// The draft report as LibreOffice prints it (Liberation Serif stands in for Times New Roman with the same widths):
    /// A4 pages, and the national name, the motto, "BÁO CÁO" and the section titles each on one line.
    /// </summary>
    [Fact]
    public async Task TheDraftReportPrintsWithEachTitleOnOneLine()
    {
        var soffice = new[] { "/usr/bin/soffice", "/usr/local/bin/soffice" }.FirstOrDefault(File.Exists);
        if (soffice is null)
        {
            Assert.Skip("LibreOffice (soffice) is not installed here; .ci/run installs it from Debian.");
        }
        await using var app = await DistrictAsync(azurite);
        var reviewer = await app.ReviewerAsync("LC-TDG");
        var bytes = await DownloadAsync(reviewer, "/api/reports/QCDC-Q/2024Q3/LC-TDG.docx?number=5&date=2024-10-05",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

        var folder = Directory.CreateTempSubdirectory("qcdc-render-");
        try
        {
            var docx = Path.Combine(folder.FullName, "bao-cao.docx");
            await File.WriteAllBytesAsync(docx, bytes, Ct);
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(soffice,
                ["--headless", "--norestore", "--nolockcheck", $"-env:UserInstallation=file://{folder.FullName}/profile", "--convert-to", "pdf", "--outdir", folder.FullName, docx])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                limit.CancelAfter(TimeSpan.FromMinutes(2));
                try
                {
                    await process.WaitForExitAsync(limit.Token);
                }
                finally
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                    }
                }
            }
            var pdf = Path.Combine(folder.FullName, "bao-cao.pdf");
            Assert.True(File.Exists(pdf), await process.StandardError.ReadToEndAsync(Ct));

            var pages = PdfLines.Read(await File.ReadAllBytesAsync(pdf, Ct));
            // Four A4 pages: the report itself on two, the appendix of every figure on the next two.
            Assert.Equal(4, pages.Count);
            Assert.Equal(2, pages.ToList().FindIndex(p => p.Any(line => PdfLines.Holds(line, "PHỤ LỤC"))));
            var lines = pages.SelectMany(p => p).ToList();
            foreach (var title in new[] { "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO", "I. KẾT QUẢ THỰC HIỆN",
                "II. HẠN CHẾ, NGUYÊN NHÂN", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ", "PHỤ LỤC" })
            {
                Assert.True(lines.Any(line => PdfLines.Holds(line, title)), $"'{title}' is not on one line:{Environment.NewLine}{string.Join(Environment.NewLine, pages[0])}");
            }
            // The reading of the PDF can tell a wrapped line: the two halves of the motto are never on one line.
            Assert.DoesNotContain(lines, line => PdfLines.Holds(line, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ExportsAnswerLikeTheRollupForWhoMayReadAndForUnitsOutsideThePeriod()
    {
        await using var app = await DistrictAsync(azurite);
        var commune = await app.ReporterAsync("LC-TDG-01");

        var other = await commune.GetAsync("/api/exports/QCDC-Q/2024Q3/LC-TDG.xlsx", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        var badPeriod = await app.Admin.GetAsync("/api/exports/QCDC-Q/2024Q9/LC-TDG.csv", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badPeriod.StatusCode);
        var badDate = await app.Admin.GetAsync("/api/reports/QCDC-Q/2024Q3/LC-TDG.docx?date=05/10/2024", Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badDate.StatusCode);
        Assert.Contains("date", (await badDate.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString(), StringComparison.Ordinal);
        var unknown = await app.Admin.GetAsync("/api/exports/QCDC-Q/2024Q3/NOPE.xlsx", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task FiveYearsAcrossTheTwoLevelGovernmentShowEachCategoryForItsQuartersTheTotalAndANote()
    {
        await using var app = new ReportingApp(azurite, new DateTimeOffset(2025, 10, 10, 3, 0, 0, TimeSpan.Zero));
        await FileAsync(app, "2025Q2", "LC-TDG-03", """{"docs_issued": 1, "dialogues": {"district": 2, "commune": 3}, "narrative_results": "Quý II."}""");
        // After the reform a commune is asked only its own level; the province's dialogues are the province's to report.
        await FileAsync(app, "2025Q3", "LC-X-TALENG", """{"docs_issued": 1, "dialogues": {"commune": 5}, "narrative_results": "Quý III."}""");
        await FileAsync(app, "2025Q3", "LC", """{"docs_issued": 1, "dialogues": {"province": 4, "commune": 0}, "narrative_results": "Quý III, cấp tỉnh."}""");

        var bytes = await DownloadAsync(app.Admin, "/api/exports/QCDC-Q/2021-2025/LC.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        using var book = OpenWorkbook(bytes);
        var summary = Sheet(book, "Tổng hợp");
        Assert.Contains(Rows(summary).Take(4), r => Text(book, r["A"]).Contains("Giai đoạn 2021–2025", StringComparison.Ordinal));
        var rows = Rows(summary);
        var at = rows.FindIndex(r => r.TryGetValue("B", out var b) && Text(book, b) == "Hội nghị đối thoại trực tiếp với Nhân dân");
        Assert.Equal(14m, Number(rows[at]["D"]));
        var categories = rows.Skip(at + 1).TakeWhile(r => !r.TryGetValue("A", out var a) || Text(book, a) == "").ToDictionary(r => Text(book, r["B"]), r => Number(r["D"]));
        Assert.Equal(new Dictionary<string, decimal> { ["Cấp tỉnh"] = 4, ["Cấp xã"] = 8, ["Cấp huyện"] = 2 }, categories);
        var notes = rows.SkipWhile(r => !(r.TryGetValue("B", out var b) && Text(book, b) == "Ghi chú:")).Skip(1).Select(r => Text(book, r["B"])).ToList();
        Assert.Contains(notes, n => n.Contains("Cấp huyện", StringComparison.Ordinal) && n.Contains("2021Q1–2025Q2", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("Cấp tỉnh", StringComparison.Ordinal) && n.Contains("2025Q3–2025Q4", StringComparison.Ordinal));

        var csv = Encoding.UTF8.GetString(await DownloadAsync(app.Admin, "/api/exports/QCDC-Q/2021-2025/LC.csv", "text/csv"));
        Assert.Contains("LC,Tỉnh Lai Châu,dialogues,Hội nghị đối thoại trực tiếp với Nhân dân — Cấp huyện,district,2,,,", csv, StringComparison.Ordinal);
        Assert.Contains("LC,Tỉnh Lai Châu,dialogues,Hội nghị đối thoại trực tiếp với Nhân dân,,14,,,", csv, StringComparison.Ordinal);
    }
}
