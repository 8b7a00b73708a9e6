using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Qcdc.Tests.Infrastructure;

/// <summary>
/// The text lines of each page of a PDF as LibreOffice writes it: objects, Flate streams, a tree of pages, simple
/// fonts with a ToUnicode map, text drawn with hex strings. A line is every glyph drawn at one height of a page, in
/// the order drawn (a font's glyphs beyond its first 255 come from a second font, placed by position), which is enough
/// to tell whether a title stayed on one line: all of its letters are on one line, or it wrapped.
/// </summary>
public static partial class PdfLines
{
    public static IReadOnlyList<IReadOnlyList<string>> Read(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var objects = ObjectPattern().Matches(text).ToDictionary(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m => m.Groups[2].Value);
        var root = objects.Values.First(o => PagesNode().IsMatch(o) && !ParentOf().IsMatch(o));
        var pages = new List<IReadOnlyList<string>>();
        foreach (var page in PagesOf(objects, root))
        {
            var fonts = FontsOf(objects, page);
            var lines = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
            foreach (var content in References(Value(page, "Contents") ?? ""))
            {
                Draw(Stream(objects[content]), fonts, lines);
            }
            pages.Add([.. lines.Values.Select(l => l.ToString().Normalize(NormalizationForm.FormC))]);
        }
        return pages;
    }

    /// <summary>True when every letter of <paramref name="title"/> (spaces aside) is drawn on this one line.</summary>
    public static bool Holds(string line, string title)
    {
        var letters = line.Where(c => !char.IsWhiteSpace(c)).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        return title.Normalize(NormalizationForm.FormC).Where(c => !char.IsWhiteSpace(c)).GroupBy(c => c).All(g => letters.GetValueOrDefault(g.Key) >= g.Count());
    }

    private static IEnumerable<string> PagesOf(Dictionary<int, string> objects, string node)
    {
        foreach (var kid in References(KidsOf().Match(node).Groups[1].Value))
        {
            var child = objects[kid];
            if (PagesNode().IsMatch(child))
            {
                foreach (var page in PagesOf(objects, child))
                {
                    yield return page;
                }
            }
            else
            {
                // Resources a page does not carry are its parent's.
                yield return Value(child, "Resources") is null ? child + node : child;
            }
        }
    }

    private static Dictionary<string, Dictionary<byte, string>> FontsOf(Dictionary<int, string> objects, string page)
    {
        var resources = Resolve(objects, Value(page, "Resources") ?? "");
        var fontDictionary = Resolve(objects, Value(resources, "Font") ?? "");
        var fonts = new Dictionary<string, Dictionary<byte, string>>(StringComparer.Ordinal);
        foreach (Match font in FontEntry().Matches(fontDictionary))
        {
            var map = new Dictionary<byte, string>();
            if (Value(objects[int.Parse(font.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)], "ToUnicode") is { } unicode)
            {
                var cmap = Stream(objects[References(unicode).Single()]);
                foreach (Match entry in BfChar().Matches(cmap))
                {
                    map[Convert.ToByte(entry.Groups[1].Value, 16)] = Utf16(entry.Groups[2].Value);
                }
                foreach (Match range in BfRange().Matches(cmap))
                {
                    var (from, to, first) = (Convert.ToInt32(range.Groups[1].Value, 16), Convert.ToInt32(range.Groups[2].Value, 16), Convert.ToInt32(range.Groups[3].Value, 16));
                    for (var code = from; code <= to; code++)
                    {
                        map[(byte)code] = char.ConvertFromUtf32(first + code - from);
                    }
                }
            }
            fonts[font.Groups[1].Value] = map;
        }
        return fonts;
    }

    private static void Draw(string content, Dictionary<string, Dictionary<byte, string>> fonts, Dictionary<string, StringBuilder> lines)
    {
        Dictionary<byte, string> font = [];
        double y = 0;
        foreach (Match op in Operator().Matches(content))
        {
            if (op.Groups["font"].Success)
            {
                font = fonts.GetValueOrDefault(op.Groups["font"].Value) ?? [];
            }
            else if (op.Groups["bt"].Success)
            {
                y = 0;
            }
            else if (op.Groups["td"].Success)
            {
                y += double.Parse(op.Groups["td"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (op.Groups["tm"].Success)
            {
                y = double.Parse(op.Groups["tm"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (op.Groups["hex"].Success)
            {
                var key = Math.Round(y, 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var line = lines.TryGetValue(key, out var found) ? found : lines[key] = new StringBuilder();
                var hex = op.Groups["hex"].Value;
                for (var i = 0; i + 1 < hex.Length; i += 2)
                {
                    line.Append(font.GetValueOrDefault(Convert.ToByte(hex.Substring(i, 2), 16)) ?? "");
                }
            }
        }
    }

    private static string Stream(string obj)
    {
        var body = StreamBody().Match(obj).Groups[1].Value;
        var bytes = Encoding.Latin1.GetBytes(body);
        if (!obj.Contains("/FlateDecode", StringComparison.Ordinal))
        {
            return body;
        }
        using var inflater = new ZLibStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflater.CopyTo(output);
        return Encoding.Latin1.GetString(output.ToArray());
    }

    private static string Resolve(Dictionary<int, string> objects, string value) =>
        References(value) is [var single] && !value.TrimStart().StartsWith("<<", StringComparison.Ordinal) ? objects[single] : value;

    private static string? Value(string dictionary, string key) =>
        Regex.Match(dictionary, $@"/{key}\s*(\d+ 0 R|<<.*?>>|\[[^\]]*\])", RegexOptions.Singleline) is { Success: true } m ? m.Groups[1].Value : null;

    private static List<int> References(string value) =>
        [.. ReferencePattern().Matches(value).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    private static string Utf16(string hex) =>
        Encoding.BigEndianUnicode.GetString(Convert.FromHexString(hex));

    [GeneratedRegex(@"(\d+) 0 obj(.*?)endobj", RegexOptions.Singleline)]
    private static partial Regex ObjectPattern();

    [GeneratedRegex(@"/Type\s*/Pages\b")]
    private static partial Regex PagesNode();

    [GeneratedRegex(@"/Parent\s+\d+ 0 R")]
    private static partial Regex ParentOf();

    [GeneratedRegex(@"/Kids\s*\[([^\]]*)\]")]
    private static partial Regex KidsOf();

    [GeneratedRegex(@"(\d+) 0 R")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"/(\w+)\s+(\d+) 0 R")]
    private static partial Regex FontEntry();

    [GeneratedRegex(@"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex BfChar();

    [GeneratedRegex(@"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex BfRange();

    [GeneratedRegex(@"stream\r?\n(.*?)\r?\nendstream", RegexOptions.Singleline)]
    private static partial Regex StreamBody();

    [GeneratedRegex(@"/(?<font>\w+)\s+[\d.]+\s+Tf|(?<bt>\bBT\b)|[-\d.]+\s+(?<td>[-\d.]+)\s+Td\b|(?:[-\d.]+\s+){5}(?<tm>[-\d.]+)\s+Tm\b|<(?<hex>[0-9A-Fa-f]+)>")]
    private static partial Regex Operator();
}
