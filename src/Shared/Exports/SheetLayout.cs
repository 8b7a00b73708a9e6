
namespace Qcdc.Exports;

/// <summary>Page and view settings of one sheet.</summary>
public sealed record SheetLayout(IReadOnlyList<double> ColumnWidths, uint FrozenRows = 0, int FrozenColumns = 0, bool Landscape = true, bool Hidden = false);
