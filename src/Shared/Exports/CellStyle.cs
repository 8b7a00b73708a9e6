
namespace Qcdc.Exports;

/// <summary>The cell styles every workbook of the product uses (indices into one stylesheet).</summary>
public enum CellStyle : uint
{
    Default = 0,
    Title = 1,
    Header = 2,
    Text = 3,
    Indented = 4,
    Integer = 5,
    Decimal = 6,
    Percent = 7,
    DateTime = 8,
    Wrapped = 9,
    Bold = 10,
    Note = 11,
    /// <summary>An input cell of the form workbook: unlocked on a protected sheet.</summary>
    Input = 12,
    InputDecimal = 13,
    InputText = 14,
}
