using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qcdc.Localization;

/// <summary>
/// A message in English and Vietnamese; the request's <c>Accept-Language</c> picks one. Written to JSON as the
/// string in the current UI culture.
/// </summary>
[JsonConverter(typeof(LocalizedTextJsonConverter))]
public readonly record struct LocalizedText(string En, string Vi)
{
    public string In(CultureInfo culture) => IsVietnamese(culture) ? Vi : En;

    public string Current => In(CultureInfo.CurrentUICulture);

    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>
    /// Fills the placeholders; a <see cref="LocalizedText"/> argument is used in the matching language. A figure (a
    /// decimal) is written the Vietnamese way in the Vietnamese text — "2,5", "1.000.000.000.000.000" — and as the API
    /// writes numbers in the English one; counts, years and codes stay as they are.
    /// </summary>
    public LocalizedText Format(params object?[] args) => new(
        string.Format(CultureInfo.InvariantCulture, En, [.. args.Select(a => a is LocalizedText t ? t.En : Plain(a))]),
        string.Format(CultureInfo.InvariantCulture, Vi, [.. args.Select(a => a switch
        {
            LocalizedText t => t.Vi,
            decimal figure => figure.ToString("#,##0.############", Vietnamese),
            _ => Plain(a),
        })]));

    // Dates as ISO 8601, the way the API writes them, in both languages.
    private static object? Plain(object? arg) => arg is DateOnly date ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : arg;

    /// <summary>This text followed by another (nothing when <paramref name="more"/> is null).</summary>
    public LocalizedText Then(LocalizedText? more) => more is { } m ? new(En + m.En, Vi + m.Vi) : this;

    public static bool IsVietnamese(CultureInfo culture) => culture.TwoLetterISOLanguageName == "vi";

    public override string ToString() => En;
}

/// <summary>Writes a <see cref="LocalizedText"/> in the current UI culture; reads a plain string as both languages.</summary>
public sealed class LocalizedTextJsonConverter : JsonConverter<LocalizedText>
{
    public override LocalizedText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? "";
        return new LocalizedText(text, text);
    }

    public override void Write(Utf8JsonWriter writer, LocalizedText value, JsonSerializerOptions options) => writer.WriteStringValue(value.Current);
}
