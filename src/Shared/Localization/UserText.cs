using System.Globalization;
using System.Text;

namespace Qcdc.Localization;

/// <summary>Why a text was refused: the first offending character, by its 1-based position, and what it is.</summary>
public sealed record TextFlaw(int Position, int CodePoint, string What);

/// <summary>
/// One rule for what people type (narratives, names, labels, reasons, comments, file names): no unpaired surrogate,
/// no noncharacter (U+FDD0–U+FDEF, every U+xFFFE and U+xFFFF), no C0 or C1 control except tab and line breaks in a
/// multi-line text; then Unicode NFC. And, belt and braces for files, the same text made safe for XML whatever it
/// holds, so that nothing stored — even before this rule — can make an export fail.
/// </summary>
public static class UserText
{
    /// <summary>The first character the rule refuses, or null when the text is acceptable.</summary>
    public static TextFlaw? Flaw(string text, bool multiline)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var code = char.ConvertToUtf32(c, text[i + 1]);
                if (IsNoncharacter(code))
                {
                    return new TextFlaw(i + 1, code, "noncharacter");
                }
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                return new TextFlaw(i + 1, c, "unpaired surrogate");
            }
            if (IsNoncharacter(c))
            {
                return new TextFlaw(i + 1, c, "noncharacter");
            }
            if (char.IsControl(c) && !(c == '\t' || (multiline && c is '\n' or '\r')))
            {
                return new TextFlaw(i + 1, c, "control character");
            }
        }
        return null;
    }

    /// <summary>The text in NFC; call only on a text <see cref="Flaw"/> accepts.</summary>
    public static string Normalize(string text) => text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);

    /// <summary>Right-to-left and left-to-right overrides, embeddings and isolates, which can make a file name or a label read backwards.</summary>
    public static string WithoutBidiControls(string text) =>
        text.Any(IsBidiControl) ? new string([.. text.Where(c => !IsBidiControl(c))]) : text;

    /// <summary>
    /// The text as a file may carry it: characters XML 1.0 forbids (controls but tab and line breaks, unpaired
    /// surrogates, U+FFFE and U+FFFF) and other noncharacters dropped, then NFC. For exports and documents.
    /// </summary>
    public static string ForFiles(string text)
    {
        if (Flaw(text, multiline: true) is null)
        {
            return Normalize(text);
        }
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (!IsNoncharacter(char.ConvertToUtf32(c, text[i + 1])))
                {
                    kept.Append(c).Append(text[i + 1]);
                }
                i++;
            }
            else if (!char.IsSurrogate(c) && !IsNoncharacter(c) && (!char.IsControl(c) || c is '\t' or '\n' or '\r'))
            {
                kept.Append(c);
            }
        }
        return Normalize(kept.ToString());
    }

    /// <summary>How a flaw reads in a message: "U+FFFE (noncharacter) at character 12".</summary>
    public static string Describe(TextFlaw flaw) =>
        string.Create(CultureInfo.InvariantCulture, $"U+{flaw.CodePoint:X4} ({flaw.What}) at character {flaw.Position}");

    private static bool IsNoncharacter(int code) => code is >= 0xFDD0 and <= 0xFDEF || (code & 0xFFFE) == 0xFFFE;

    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
