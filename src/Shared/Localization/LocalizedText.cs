using System.Globalization;

namespace Qcdc.Localization;

/// <summary>A message in English and Vietnamese; the request's <c>Accept-Language</c> picks one.</summary>
public readonly record struct LocalizedText(string En, string Vi)
{
    public string In(CultureInfo culture) => IsVietnamese(culture) ? Vi : En;

    public string Current => In(CultureInfo.CurrentUICulture);

    /// <summary>Fills the placeholders; a <see cref="LocalizedText"/> argument is used in the matching language.</summary>
    public LocalizedText Format(params object?[] args) => new(
        string.Format(CultureInfo.InvariantCulture, En, [.. args.Select(a => a is LocalizedText t ? t.En : a)]),
        string.Format(CultureInfo.InvariantCulture, Vi, [.. args.Select(a => a is LocalizedText t ? t.Vi : a)]));

    public static bool IsVietnamese(CultureInfo culture) => culture.TwoLetterISOLanguageName == "vi";

    public override string ToString() => En;
}
