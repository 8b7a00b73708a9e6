using System.Globalization;
using System.Text;
using Qcdc.Forms;

namespace Qcdc.Exports;

/// <summary>How the CSV is written: Vietnamese headers (the default) or the machine codes, a comma or a semicolon.</summary>
public sealed record CsvLayout(bool Codes = false, bool Semicolon = false);

/// <summary>
/// A rollup in long format, one line per unit and figure: the unit and every unit below it, each with its subtree's
/// totals, then the narratives of the counted reports (one line per unit and text indicator, as the workbook's
/// "Thuyết minh" sheet holds them). UTF-8 with a byte order mark (so Excel reads Vietnamese), RFC 4180 quoting, CRLF
/// line ends, numbers with a dot before decimals (machine-readable in every locale), text that could start a formula
/// (= + - @) prefixed with an apostrophe. Headers in Vietnamese unless the codes are asked for; a semicolon instead
/// of the comma, announced by a first line <c>sep=;</c>, for Excel set to the Vietnamese locale (where the comma is
/// the decimal mark).
/// </summary>
public static class RollupCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    private static readonly (string Code, string Vi)[] Headers =
    [
        ("unit_code", "Mã đơn vị"), ("unit_name", "Tên đơn vị"), ("indicator_code", "Mã chỉ tiêu"), ("label", "Chỉ tiêu"),
        ("category", "Phân loại"), ("value", "Giá trị"), ("numerator", "Tử số"), ("denominator", "Mẫu số"), ("text", "Thuyết minh"),
    ];

    public static async Task WriteAsync(Stream output, ExportData data, CsvLayout layout, IAsyncEnumerable<Qcdc.Submissions.Submission> reports, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        var separator = layout.Semicolon ? ';' : ',';
        if (layout.Semicolon)
        {
            await writer.WriteLineAsync("sep=;");
        }
        await writer.WriteLineAsync(string.Join(separator, Headers.Select(h => layout.Codes ? h.Code : h.Vi)));
        var snapshot = data.Snapshot;
        var line = new Line(new StringBuilder(), separator);
        var written = 0;
        foreach (var u in snapshot.SubtreeOf(snapshot.IndexOf(data.Unit.Code)))
        {
            var code = snapshot.Units[u];
            var name = data.NameOf(code);
            foreach (var indicator in data.Schema.Indicators)
            {
                var definition = indicator.Indicator;
                if (definition.Type == IndicatorType.Ratio)
                {
                    var (numerator, denominator) = (data.Figure(u, indicator.FirstSlot), data.Figure(u, indicator.FirstSlot + 1));
                    if (numerator is not null || denominator is not null)
                    {
                        line.Write(code, name, definition.Code, definition.Label, null,
                            numerator is { } n && denominator is { } d && d != 0 ? decimal.Round(n / d, 6) : null, numerator, denominator);
                    }
                }
                else if (definition.Categories.Count > 0)
                {
                    decimal? total = null;
                    for (var c = 0; c < definition.Categories.Count; c++)
                    {
                        if (data.Figure(u, indicator.FirstSlot + c) is { } value)
                        {
                            total = (total ?? 0) + value;
                            line.Write(code, name, definition.Code, $"{definition.Label} — {definition.Categories[c].Label}", definition.Categories[c].Code, value, null, null);
                        }
                    }
                    if (total is not null)
                    {
                        line.Write(code, name, definition.Code, definition.Label, null, total, null, null);
                    }
                }
                else if (data.Figure(u, indicator.FirstSlot) is { } value)
                {
                    line.Write(code, name, definition.Code, definition.Label, null, value, null, null);
                }
            }
            await writer.WriteAsync(line.Text, cancellationToken);
            line.Text.Clear();
            if (++written % 256 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
        var texts = data.Form.Indicators.Where(i => i.Type == IndicatorType.Text).ToList();
        await foreach (var report in reports.WithCancellation(cancellationToken))
        {
            foreach (var text in texts)
            {
                if (report.Values[text.Code] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var narrative) && narrative.Length > 0)
                {
                    line.Write(report.Key.Unit, data.NameOf(report.Key.Unit), text.Code, text.Label, null, null, null, null, narrative);
                }
            }
            await writer.WriteAsync(line.Text, cancellationToken);
            line.Text.Clear();
        }
    }

    private sealed record Line(StringBuilder Text, char Separator)
    {
        public void Write(string unit, string name, string indicator, string label, string? category, decimal? value, decimal? numerator, decimal? denominator,
            string? narrative = null)
        {
            Field(Text, unit, Separator).Append(Separator);
            Field(Text, name, Separator).Append(Separator);
            Field(Text, indicator, Separator).Append(Separator);
            Field(Text, label, Separator).Append(Separator);
            Field(Text, category, Separator).Append(Separator);
            Number(Text, value).Append(Separator);
            Number(Text, numerator).Append(Separator);
            Number(Text, denominator).Append(Separator);
            Field(Text, narrative, Separator).Append("\r\n");
        }
    }

    private static StringBuilder Number(StringBuilder line, decimal? value) =>
        value is { } v ? line.Append(v.ToString(CultureInfo.InvariantCulture)) : line;

    /// <summary>An RFC 4180 field: quoted when it holds the separator, a quote or a line break; formula triggers neutralised.</summary>
    public static StringBuilder Field(StringBuilder line, string? text, char separator = ',')
    {
        if (string.IsNullOrEmpty(text))
        {
            return line;
        }
        var safe = VietnameseFormat.SafeCell(VietnameseFormat.Nfc(text));
        return safe.AsSpan().IndexOfAny([separator, '"', '\r', '\n']) < 0 ? line.Append(safe) : line.Append('"').Append(safe.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
