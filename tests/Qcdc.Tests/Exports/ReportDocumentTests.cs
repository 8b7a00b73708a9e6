using System.Text.Json.Nodes;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Qcdc.Exports;
using Qcdc.Periods;
using Qcdc.Rollups;
using Qcdc.Submissions;
using Qcdc.Tests.Aggregation;
using Qcdc.Tests.Infrastructure;
using Qcdc.Units;

namespace Qcdc.Tests.Exports;

/// <summary>Figures written the Vietnamese way, and the five-year report of the published-figures district.</summary>
public sealed class ReportDocumentTests
{
    private static readonly DateOnly Start = new(2008, 1, 1);

    [Theory]
    [InlineData(14_646, "14.646")]
    [InlineData(894_948, "894.948")]
    [InlineData(1250.5, "1.250,5")]
    [InlineData(0.25, "0,25")]
    [InlineData(-3, "-3")]
    public void NumbersHaveDotsBetweenThousandsAndACommaBeforeDecimals(decimal value, string written) =>
        Assert.Equal(written, VietnameseFormat.Number(value));

    [Theory]
    [InlineData(82_749_000_000, "82,749 tỷ đồng")]
    [InlineData(470_000_000, "470 triệu đồng")]
    [InlineData(950_000, "950.000 đồng")]
    public void MoneyIsWrittenInBillionsOrMillionsOfDong(decimal dong, string written) => Assert.Equal(written, VietnameseFormat.Money(dong));

    [Fact]
    public void PeriodsAndDatesAreNamedAsReportsNameThem()
    {
        Assert.Equal("Quý III năm 2024", VietnameseFormat.Period(Period.Quarter(2024, 3)));
        Assert.True(Period.TryParse("2025H1", out var half));
        Assert.Equal("6 tháng đầu năm 2025", VietnameseFormat.Period(half));
        Assert.True(Period.TryParse("2025", out var year));
        Assert.Equal("Năm 2025", VietnameseFormat.Period(year));
        Assert.True(Period.TryParse("2021-2025", out var five));
        Assert.Equal("Giai đoạn 2021–2025", VietnameseFormat.Period(five));
        Assert.Equal("ngày 05 tháng 01 năm 2026", VietnameseFormat.Date(new DateOnly(2026, 1, 5)));
        Assert.Equal("ngày 20 tháng 12 năm 2025", VietnameseFormat.Date(new DateOnly(2025, 12, 20)));
        Assert.Equal("98,9%", VietnameseFormat.Percent(0.989m));
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+84 912", "'+84 912")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("Xã Thèn Sin", "Xã Thèn Sin")]
    public void TextThatASpreadsheetCouldRunIsPrefixed(string text, string safe)
    {
        Assert.Equal(safe, VietnameseFormat.SafeCell(text));
        var line = RollupCsv.Field(new System.Text.StringBuilder(), text + ",x").ToString();
        Assert.Equal("\"" + safe + ",x\"", line);
    }

    /// <summary>A year across the 2025 reform: the district level of its first half is said with the rest.</summary>
    [Fact]
    public void ACategoryOfAnEarlierVersionOfTheFormIsSaidInTheReportOfALongerPeriod()
    {
        var hierarchy = new UnitHierarchy([new Unit("P", "Tỉnh Lai Châu", "province", Start), new Unit("C1", "Xã Một", "commune", Start, "P")]);
        var engine = new RollupEngine(hierarchy, SeedData.QuarterlyForm(), SeedData.QuarterlyFormFrom2025Q3())
            .Report("2025Q1", "C1", """{"dialogues": {"district": 2, "commune": 1}}""", SubmissionStatus.Approved)
            .Report("2025Q3", "C1", """{"dialogues": {"commune": 3}}""", SubmissionStatus.Approved);
        Assert.True(Period.TryParse("2025", out var year));
        var data = ExportData.Create(SeedData.QuarterlyFormFrom2025Q3(), year, VietnameseFormat.Period(year, null), new RollupRead(engine.Snapshot("2025"), Stale: false),
            hierarchy, "P", [SubmissionStatus.Submitted, SubmissionStatus.Approved]);
        var (heading, _) = ReportHeading.From(data.Unit, hierarchy, 2025, _ => null, []);

        using var output = new MemoryStream();
        ReportDocument.Write(output, data, heading!, []);

        using var document = WordprocessingDocument.Open(new MemoryStream(output.ToArray()), false);
        var dialogues = document.MainDocumentPart!.Document.Body!.Descendants<Paragraph>().Select(p => p.InnerText).Single(p => p.Contains("cuộc đối thoại", StringComparison.Ordinal) && p.Contains("trong đó", StringComparison.Ordinal));
        Assert.Contains("6 cuộc", dialogues, StringComparison.Ordinal);
        Assert.Contains("4 cuộc cấp xã", dialogues, StringComparison.Ordinal);
        Assert.Contains("2 cuộc cấp huyện", dialogues, StringComparison.Ordinal);
    }

    /// <summary>The district of the rollup tests whose 20 quarters add up to the published figures, as its five-year report.</summary>
    [Fact]
    public void TheFiveYearReportOfThePublishedDistrictSaysItsFiguresInSentences()
    {
        var communes = Enumerable.Range(1, 20).Select(i => $"H-{i:D2}").ToList();
        var hierarchy = new UnitHierarchy([new Unit("H", "Huyện Tam Đường", "district", Start, "P"), new Unit("P", "Tỉnh Lai Châu", "province", Start),
            .. communes.Select(c => new Unit(c, "Xã " + c, "commune", Start, "H"))]);
        var catalog = new PeriodCatalog(PeriodCatalog.DefaultWindows);
        catalog.TryResolve("NQ02-2017", out var window);
        var quarters = window!.Quarters();
        var cells = communes.Count * quarters.Count;
        static decimal Share(decimal total, int cell, int cells) => Math.Floor(total / cells) + (cell < total % cells ? 1 : 0);
        var form = SeedData.QuarterlyForm();
        var engine = new RollupEngine(hierarchy, form);
        for (var q = 0; q < quarters.Count; q++)
        {
            for (var c = 0; c < communes.Count; c++)
            {
                var cell = q * communes.Count + c;
                engine.Report(quarters[q].Key, communes[c], new JsonObject
                {
                    ["land_households"] = Share(14_646, cell, cells),
                    ["land_area"] = Share(894_948, cell, cells),
                    ["donation_value"] = Share(82_749_000_000, cell, cells),
                    ["models_built"] = new JsonObject { ["large"] = Share(86, cell, cells), ["medium"] = Share(117, cell, cells), ["small"] = Share(1_013, cell, cells) },
                    ["ntm_communes"] = new JsonObject { ["numerator"] = q == quarters.Count - 1 || c < 10 + q / 2 ? 1 : 0, ["denominator"] = 1 },
                    ["awards_collective"] = q == 0 ? 1 : 0,
                }.ToJsonString(), SubmissionStatus.Approved);
            }
        }
        var read = new RollupRead(engine.Snapshot("NQ02-2017"), Stale: false);
        var data = ExportData.Create(form, window, VietnameseFormat.Period(window, catalog.Title(window)), read, hierarchy, "H", [SubmissionStatus.Submitted, SubmissionStatus.Approved]);
        var (heading, refusal) = ReportHeading.From(data.Unit, hierarchy, 2022, _ => null, ["Ban Dân vận Tỉnh ủy", "Sở Nội vụ."]);
        Assert.Null(refusal);
        static Submission Report(string unit, string directions) => new(new SubmissionKey("QCDC-Q", "2022Q2", unit), SubmissionStatus.Approved, 1, 1,
            new JsonObject { ["narrative_directions"] = directions }, DateTimeOffset.UnixEpoch, new Author("k", "Cán bộ xã", null));
        var latest = new List<Submission>
        {
            Report("H-01", "Tiếp tục vận động Nhân dân hiến đất làm đường.\nNhân rộng mô hình \"Dân vận khéo\"."),
            Report("H-02", "Tiếp tục vận động nhân dân hiến đất làm đường"),
            Report("H-03", "Tiếp tục vận động Nhân dân hiến đất làm đường.\nNhân rộng mô hình \"Dân vận khéo\"."),
            Report("H-04", "Tiếp tục vận động"),
            Report("H-05", ""),
        };

        using var output = new MemoryStream();
        ReportDocument.Write(output, data, heading!, latest);

        using var document = WordprocessingDocument.Open(new MemoryStream(output.ToArray()), false);
        Assert.Empty(OpenXmlFiles.Errors(document));
        var paragraphs = document.MainDocumentPart!.Document.Body!.Descendants<Paragraph>().Select(p => p.InnerText).ToList();
        Assert.Contains("Vận động 14.646 hộ hiến 894.948 m² đất, trị giá 82,749 tỷ đồng.", paragraphs);
        Assert.Contains("Xây dựng được 1.216 mô hình, trong đó 86 mô hình quy mô lớn, 117 mô hình quy mô vừa, 1.013 mô hình quy mô nhỏ.", paragraphs);
        Assert.Contains("Xã đạt chuẩn nông thôn mới: 20/20 xã (100%).", paragraphs);
        Assert.Contains(paragraphs, p => p.StartsWith("Các đơn vị dẫn đầu về hộ hiến đất: Xã H-", StringComparison.Ordinal));
        // Every commune with the same one award: nobody stands out.
        Assert.Contains("Tập thể được khen thưởng: 20 tập thể.", paragraphs); // its template needs the individuals, not reported here
        Assert.DoesNotContain(paragraphs, p => p.StartsWith("Các đơn vị dẫn đầu về tập thể", StringComparison.Ordinal));
        // The appendix names a ratio's two counts as the form does.
        Assert.Contains("   Số xã đạt chuẩn nông thôn mới", paragraphs);
        Assert.DoesNotContain(paragraphs, p => p.Contains("land_", StringComparison.Ordinal) || p.Contains("2017Q", StringComparison.Ordinal));
        Assert.Contains("Kết quả thực hiện Quy chế dân chủ ở cơ sở giai đoạn quý III/2017 – quý II/2022 (Nghị quyết 02-NQ/TU ngày 12/5/2017)", paragraphs);
        Assert.Contains("ỦY BAN NHÂN DÂN HUYỆN TAM ĐƯỜNG", paragraphs);
        Assert.Contains("Số:       /BC-UBND", paragraphs);
        Assert.Contains("Lai Châu, ngày      tháng      năm 2022", paragraphs);
        // "Nơi nhận": the unit above, the installation's recipients, the office's file.
        Assert.Equal(["- Tỉnh Lai Châu;", "- Ban Dân vận Tỉnh ủy;", "- Sở Nội vụ;", "- Lưu: VT."], paragraphs.Where(p => p.StartsWith("- ", StringComparison.Ordinal)));
        // Below the signer's title: a line for the signature and one for the name.
        Assert.Contains("(Ký, ghi rõ họ tên, đóng dấu)", paragraphs);
        Assert.Contains("……………………………", paragraphs);
        // The units' directions synthesised: the same text once, with the units that wrote it; a text a longer one
        // contains is left out; how many units wrote on it.
        Assert.Contains("4/5 đơn vị có báo cáo nêu nội dung này; các ý kiến trùng nhau được gộp, còn 1 ý kiến:", paragraphs);
        Assert.Contains("2 đơn vị (Xã H-01 và Xã H-03): Tiếp tục vận động Nhân dân hiến đất làm đường.", paragraphs);
        Assert.Single(paragraphs, p => p == "Nhân rộng mô hình \"Dân vận khéo\".");
        Assert.DoesNotContain(paragraphs, p => p.StartsWith("Xã H-02:", StringComparison.Ordinal) || p.StartsWith("Xã H-04:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Hội nghị — Cấp tỉnh (dialogues.province) chỉ có trong 2025Q3–2025Q4: tổng của chỉ tiêu tính mục này cho các quý đó.",
        "Hội nghị — Cấp tỉnh chỉ có trong quý III/2025–quý IV/2025: tổng của chỉ tiêu tính mục này cho các quý đó.")]
    [InlineData("Số liệu (docs_issued) của 2021Q1.", "Số liệu của quý I/2021.")]
    public void TheReportsNotesNameQuartersInWordsAndShowNoCodes(string note, string read) => Assert.Equal(read, ReportSentences.Readable(note));
}
