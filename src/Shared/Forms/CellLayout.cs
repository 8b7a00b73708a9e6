using System.Text.Json;
using System.Text.Json.Nodes;

namespace Qcdc.Forms;

/// <summary>
/// The numbers of a form version as a flat row of cells: each value, category and side of a ratio has an index (a
/// yes/no counts as 1 or 0). Rules and outlier tests read a report through it — from its values, or straight from its
/// stored numbers (UTF-8 JSON, read forward without building a tree) when a whole quarter is checked.
/// </summary>
public sealed class CellLayout
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> _cellsOf = new(StringComparer.Ordinal);

    // Each cell's code and part as UTF-8: stored numbers come in the form's order, so the next name is nearly always
    // the expected one, compared as bytes; any other order is looked up.
    private readonly byte[][] _codes;
    private readonly byte[]?[] _parts;

    public CellLayout(FormDefinition form)
    {
        var paths = new List<string>();
        foreach (var indicator in form.Indicators)
        {
            var own = new List<int>();
            IEnumerable<string> parts = indicator switch
            {
                { Type: IndicatorType.Ratio } => [$"{indicator.Code}.numerator", $"{indicator.Code}.denominator"],
                { IsNumeric: true, Categories.Count: > 0 } => indicator.Categories.Select(c => $"{indicator.Code}.{c.Code}"),
                { IsNumeric: true } or { Type: IndicatorType.Boolean } => [indicator.Code],
                _ => [],
            };
            foreach (var path in parts)
            {
                _index[path] = paths.Count;
                own.Add(paths.Count);
                paths.Add(path);
            }
            // A bare code reads its value, or the total of its categories; a ratio has no bare reading.
            if (indicator.Type != IndicatorType.Ratio && own.Count > 0)
            {
                _cellsOf[indicator.Code] = [.. own];
            }
        }
        Paths = paths;
        var codes = paths.Select(p => p.Split('.')[0]).Distinct(StringComparer.Ordinal).ToDictionary(c => c, System.Text.Encoding.UTF8.GetBytes, StringComparer.Ordinal);
        _codes = [.. paths.Select(p => codes[p.Split('.')[0]])];
        _parts = [.. paths.Select(p => p.Contains('.', StringComparison.Ordinal) ? System.Text.Encoding.UTF8.GetBytes(p[(p.IndexOf('.', StringComparison.Ordinal) + 1)..]) : null)];
        NumericCells = [.. paths.Where(p => form.FindIndicator(p.Split('.')[0]) is { IsNumeric: true } or { Type: IndicatorType.Ratio })];
        NumericIndices = [.. NumericCells.Select(IndexOf)];
    }

    /// <summary>Every cell, in the form's order.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>The cells holding numbers proper (yes/no left out): what outlier tests look at.</summary>
    public IReadOnlyList<string> NumericCells { get; }

    /// <summary>The places of <see cref="NumericCells"/> in the row, in the same order.</summary>
    public int[] NumericIndices { get; }

    public int Count => Paths.Count;

    public int IndexOf(string path) => _index.GetValueOrDefault(path, -1);

    /// <summary>The cells a rule's reference reads (<c>dialogues</c>: each category; <c>dialogues.commune</c>: one); empty when it names nothing.</summary>
    public int[] CellsOf(string reference) =>
        _cellsOf.TryGetValue(reference, out var cells) ? cells : _index.TryGetValue(reference, out var one) ? [one] : [];

    /// <summary>Fills the row from a report's values.</summary>
    public void Load(JsonObject values, Span<decimal> row, Span<bool> present)
    {
        present.Clear();
        foreach (var (code, node) in values)
        {
            if (node is JsonObject parts)
            {
                foreach (var (part, inner) in parts)
                {
                    Set($"{code}.{part}", inner, row, present);
                }
            }
            else
            {
                Set(code, node, row, present);
            }
        }
    }

    private void Set(string path, JsonNode? node, Span<decimal> row, Span<bool> present)
    {
        if (_index.TryGetValue(path, out var i) && node is JsonValue value)
        {
            if (value.TryGetValue<decimal>(out var number))
            {
                (row[i], present[i]) = (number, true);
            }
            else if (value.TryGetValue<bool>(out var flag))
            {
                (row[i], present[i]) = (flag ? 1 : 0, true);
            }
        }
    }

    /// <summary>
    /// Fills the row from a report's stored numbers (<c>{"docs_issued": 3, "dialogues": {"commune": 1}}</c>), read
    /// forward; names are looked up as characters, never made into strings.
    /// </summary>
    public void Load(ReadOnlySpan<byte> json, Span<decimal> row, Span<bool> present)
    {
        present.Clear();
        var lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
        var reader = new Utf8JsonReader(json);
        Span<char> path = stackalloc char[256];
        var codeLength = 0;
        var depth = 0;
        var next = 0; // the cell expected next
        var code = -1; // the first cell of the current code, when known by the expected order
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    depth++;
                    break;
                case JsonTokenType.EndObject:
                    depth--;
                    break;
                case JsonTokenType.PropertyName when depth == 1:
                    code = next < _codes.Length && reader.ValueTextEquals(_codes[next]) ? next : -1;
                    codeLength = code >= 0 ? 0 : Name(ref reader, path);
                    break;
                case JsonTokenType.PropertyName when depth == 2:
                    int cell;
                    if (code >= 0)
                    {
                        cell = next < _parts.Length && _parts[next] is { } expected && ReferenceEquals(_codes[next], _codes[code]) && reader.ValueTextEquals(expected)
                            ? next : Find(ref reader, path, _codes[code], lookup);
                    }
                    else if (codeLength > 0)
                    {
                        path[codeLength] = '.';
                        var partLength = Name(ref reader, path[(codeLength + 1)..]);
                        cell = partLength > 0 && lookup.TryGetValue(path[..(codeLength + 1 + partLength)], out var found) ? found : -1;
                    }
                    else
                    {
                        cell = -1;
                    }
                    reader.Read();
                    if (cell >= 0)
                    {
                        Put(cell, ref reader, row, present);
                        next = cell + 1;
                    }
                    break;
                case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False when depth == 1:
                    var plain = code >= 0 && _parts[code] is null ? code
                        : codeLength > 0 && lookup.TryGetValue(path[..codeLength], out var looked) ? looked : -1;
                    if (plain >= 0)
                    {
                        Put(plain, ref reader, row, present);
                        next = plain + 1;
                    }
                    break;
            }
        }
    }

    /// <summary>A part of a known code that came out of the expected order: looked up by its whole path.</summary>
    private static int Find(scoped ref Utf8JsonReader reader, scoped Span<char> path, byte[] code, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup)
    {
        var codeLength = System.Text.Encoding.UTF8.GetChars(code, path);
        path[codeLength] = '.';
        var partLength = Name(ref reader, path[(codeLength + 1)..]);
        return partLength > 0 && lookup.TryGetValue(path[..(codeLength + 1 + partLength)], out var found) ? found : -1;
    }

    /// <summary>A property name copied as characters (0 when it does not fit: no cell has such a name).</summary>
    private static int Name(scoped ref Utf8JsonReader reader, scoped Span<char> into)
    {
        var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length >= into.Length - 1)
        {
            return 0;
        }
        return reader.CopyString(into);
    }

    private static void Put(int i, scoped ref Utf8JsonReader reader, Span<decimal> row, Span<bool> present)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetDecimal(out var number):
                (row[i], present[i]) = (number, true);
                break;
            case JsonTokenType.True or JsonTokenType.False:
                (row[i], present[i]) = (reader.TokenType == JsonTokenType.True ? 1 : 0, true);
                break;
        }
    }
}
