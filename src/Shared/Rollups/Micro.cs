using System.Buffers.Text;

namespace Qcdc.Rollups;

/// <summary>
/// The rollups' numbers: millionths as 128-bit integers. A report's number has at most six decimal places and at
/// most 10^18 in size (the submission rules), so it is held exactly, and sums of any country over any period stay
/// exact and far inside the range; adding two is one machine addition instead of a decimal's. Only a split unit's
/// share and an average are rounded, to the millionth (half to even, as decimal rounding does).
/// </summary>
public static class Micro
{
    public const long PerUnit = 1_000_000;

    private static readonly long[] Powers = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

    public static Int128 From(decimal value) => (Int128)decimal.Round(value * PerUnit, 0, MidpointRounding.ToEven);

    public static decimal ToDecimal(Int128 micro) => micro >= long.MinValue && micro <= long.MaxValue
        ? new decimal((long)micro) / PerUnit
        : (decimal)micro / PerUnit;

    /// <summary>a ÷ b to the millionth, half to even.</summary>
    public static Int128 Divide(Int128 a, long b)
    {
        if (b == 1)
        {
            return a;
        }
        var quotient = Int128.DivRem(a, b);
        var twice = Int128.Abs(quotient.Remainder) * 2;
        var up = twice > b || (twice == b && (quotient.Quotient & 1) != 0);
        return up ? quotient.Quotient + (a < 0 ? -1 : 1) : quotient.Quotient;
    }

    /// <summary>A share of a number (a split unit's part of its flows), to the millionth.</summary>
    public static Int128 Times(Int128 micro, decimal share) => share == 1m ? micro : From(ToDecimal(micro) * share);

    /// <summary>
    /// A JSON number's text as millionths: fast for plain numbers (<c>-12.5</c>), the general rule for the rest
    /// (exponents); false when it is not a number with at most six decimal places in range.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Int128 micro)
    {
        micro = 0;
        var i = 0;
        var negative = utf8.Length > 0 && utf8[0] == (byte)'-';
        if (negative)
        {
            i++;
        }
        long whole = 0;
        var digits = 0;
        for (; i < utf8.Length && utf8[i] is >= (byte)'0' and <= (byte)'9'; i++, digits++)
        {
            whole = whole * 10 + (utf8[i] - '0');
        }
        if (digits is 0 or > 18)
        {
            return Slow(utf8, out micro);
        }
        long fraction = 0;
        var places = 0;
        if (i < utf8.Length && utf8[i] == (byte)'.')
        {
            for (i++; i < utf8.Length && utf8[i] is >= (byte)'0' and <= (byte)'9'; i++, places++)
            {
                if (places == 6)
                {
                    return Slow(utf8, out micro);
                }
                fraction = fraction * 10 + (utf8[i] - '0');
            }
        }
        if (i != utf8.Length)
        {
            return Slow(utf8, out micro);
        }
        micro = (Int128)whole * PerUnit + fraction * Powers[6 - places];
        if (negative)
        {
            micro = -micro;
        }
        return true;
    }

    private static bool Slow(ReadOnlySpan<byte> utf8, out Int128 micro)
    {
        micro = 0;
        if ((!Utf8Parser.TryParse(utf8, out decimal value, out var consumed) || consumed != utf8.Length)
            && (!Utf8Parser.TryParse(utf8, out value, out consumed, 'E') || consumed != utf8.Length))
        {
            return false;
        }
        micro = From(value);
        return true;
    }
}
