using System.Globalization;

namespace Qcdc.Localization;

/// <summary>A message in English and Vietnamese; the request's <c>Accept-Language</c> picks one.</summary>
public readonly record struct LocalizedText(string En, string Vi)
{
    public string In(CultureInfo culture) => IsVietnamese(culture) ? Vi : En;

    public string Current => In(CultureInfo.CurrentUICulture);

    /// <summary>Fills the placeholders; a <see cref="LocalizedText"/> argument is used in the matching language.</summary>
    public LocalizedText Format(params object?[] args) => new(
        string.Format(CultureInfo.InvariantCulture, En, [.. args.Select(a => a is LocalizedText t ? t.En : Plain(a))]),
        string.Format(CultureInfo.InvariantCulture, Vi, [.. args.Select(a => a is LocalizedText t ? t.Vi : Plain(a))]));

    // Dates as ISO 8601, the way the API writes them, in both languages.
    private static object? Plain(object? arg) => arg is DateOnly date ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : arg;

    public static bool IsVietnamese(CultureInfo culture) => culture.TwoLetterISOLanguageName == "vi";

    public override string ToString() => En;
}
