using System.Globalization;
using System.Text;
using Qcdc.Forms;
using Qcdc.Localization;

namespace Qcdc.Exports;

/// <summary>
/// A rollup in long format, one line per unit and figure: the unit and every unit below it, each with its subtree's
/// totals. UTF-8 with a byte order mark (so Excel reads Vietnamese), RFC 4180 quoting, CRLF line ends, numbers with a
/// dot before decimals (machine-readable in every locale), text that could start a formula prefixed with an apostrophe.
/// </summary>
public static class RollupCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    private static readonly LocalizedText[] Headers =
    [
        new("unit_code", "ma_don_vi"), new("unit_name", "ten_don_vi"), new("indicator_code", "ma_chi_tieu"), new("label", "chi_tieu"),
        new("category", "phan_loai"), new("value", "gia_tri"), new("numerator", "tu_so"), new("denominator", "mau_so"),
    ];

    public static async Task WriteAsync(Stream output, ExportData data, CultureInfo culture, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(',', Headers.Select(h => h.In(culture))));
        var snapshot = data.Snapshot;
        var line = new StringBuilder();
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
                        Line(line, code, name, definition.Code, definition.Label, null,
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
                            Line(line, code, name, definition.Code, $"{definition.Label} — {definition.Categories[c].Label}", definition.Categories[c].Code, value, null, null);
                        }
                    }
                    if (total is not null)
                    {
                        Line(line, code, name, definition.Code, definition.Label, null, total, null, null);
                    }
                }
                else if (data.Figure(u, indicator.FirstSlot) is { } value)
                {
                    Line(line, code, name, definition.Code, definition.Label, null, value, null, null);
                }
            }
            await writer.WriteAsync(line, cancellationToken);
            line.Clear();
            if (++written % 256 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
    }

    private static void Line(StringBuilder line, string unit, string name, string indicator, string label, string? category, decimal? value, decimal? numerator, decimal? denominator)
    {
        Field(line, unit).Append(',');
        Field(line, name).Append(',');
        Field(line, indicator).Append(',');
        Field(line, label).Append(',');
        Field(line, category).Append(',');
        Number(line, value).Append(',');
        Number(line, numerator).Append(',');
        Number(line, denominator).Append("\r\n");
    }

    private static StringBuilder Number(StringBuilder line, decimal? value) =>
        value is { } v ? line.Append(v.ToString(CultureInfo.InvariantCulture)) : line;

    /// <summary>An RFC 4180 field: quoted when it holds a comma, a quote or a line break; formula triggers neutralised.</summary>
    public static StringBuilder Field(StringBuilder line, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return line;
        }
        var safe = VietnameseFormat.SafeCell(VietnameseFormat.Nfc(text));
        return safe.AsSpan().IndexOfAny(",\"\r\n") < 0 ? line.Append(safe) : line.Append('"').Append(safe.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
