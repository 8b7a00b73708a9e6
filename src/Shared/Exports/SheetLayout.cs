
namespace Qcdc.Exports;

/// <summary>
/// Page and view settings of one sheet. The frozen columns (a unit's code and name) also repeat on every printed page;
/// a sheet wider than a page is printed on as many pages side by side as keep its figures legible, not shrunk onto one.
/// </summary>
public sealed record SheetLayout(IReadOnlyList<double> ColumnWidths, uint FrozenRows = 0, int FrozenColumns = 0, bool Landscape = true, bool Hidden = false)
{
    /// <summary>What an A4 page holds between its margins, in column-width units (about 1.9 mm each at 100 %).</summary>
    private double PageWidth => Landscape ? 140 : 95;

    /// <summary>
    /// Pages side by side when printed: one while the sheet fits a page shrunk to no less than about 80 %, else enough
    /// for the columns after the repeated ones to print at full size.
    /// </summary>
    public uint PagesWide
    {
        get
        {
            var total = ColumnWidths.Sum();
            if (total <= PageWidth * 1.25)
            {
                return 1;
            }
            var repeated = ColumnWidths.Take(FrozenColumns).Sum();
            return (uint)Math.Ceiling((total - repeated) / Math.Max(PageWidth - repeated, PageWidth / 2));
        }
    }

    /// <summary>The width a column of codes needs for the longest of them (never less than <paramref name="least"/>).</summary>
    public static double CodeWidth(IEnumerable<string> codes, double least = 12) =>
        Math.Max(least, Math.Ceiling(codes.Select(c => c.Length).DefaultIfEmpty(0).Max() * 1.15) + 2);
}
