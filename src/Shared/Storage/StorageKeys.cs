namespace Qcdc.Storage;

/// <summary>
/// The one place that spells storage keys made of domain codes. Codes never hold <c>|</c> (forms and units are
/// <c>[A-Z0-9-]</c>, periods letters, digits and <c>-</c>), so the separator cannot be forged.
/// </summary>
public static class StorageKeys
{
    public const char Separator = '|';

    /// <summary>The partition of a (form, period): its reports, their revisions, idempotency records and change mark.</summary>
    public static string FormPeriod(string form, string period) => $"{form}{Separator}{period}";

    /// <summary>The partition of one report's attachments.</summary>
    public static string Report(string form, string period, string unit) => $"{form}{Separator}{period}{Separator}{unit}";

    /// <summary>
    /// Route values become keys only if storage accepts them: anything with <c>/ \ # ? |</c>, control characters or
    /// over 200 characters names nothing.
    /// </summary>
    public static bool IsSafe(string? text) =>
        text is { Length: > 0 and <= 200 } && !text.Any(c => c is '/' or '\\' or '#' or '?' or Separator || char.IsControl(c));
}
