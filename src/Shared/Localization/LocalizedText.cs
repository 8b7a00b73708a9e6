using System.Globalization;

namespace Qcdc.Localization;

/// <summary>A message in English and Vietnamese; the request's <c>Accept-Language</c> picks one.</summary>
public readonly record struct LocalizedText(string En, string Vi)
{
    public string In(CultureInfo culture) => IsVietnamese(culture) ? Vi : En;

    public string Current => In(CultureInfo.CurrentUICulture);

    public LocalizedText Format(params object?[] args) =>
        new(string.Format(CultureInfo.InvariantCulture, En, args), string.Format(CultureInfo.InvariantCulture, Vi, args));

    public static bool IsVietnamese(CultureInfo culture) => culture.TwoLetterISOLanguageName == "vi";

    public override string ToString() => En;
}
