using Qcdc.Localization;

namespace Qcdc.Rollups;

/// <summary>Every message about rollups, in English and Vietnamese.</summary>
public static class RollupTexts
{
    public static readonly LocalizedText NeverComputed = new(
        "The rollup of {0} for {1} at {2} has not been computed yet.", "Chưa tổng hợp số liệu biểu mẫu {0} kỳ {1} của đơn vị {2}.");
    public static readonly LocalizedText QuarterOnly = new(
        "{0} {1}: rollups run for the quarterly form and its quarters, half-years, years and five-year windows.",
        "{0} {1}: chỉ tổng hợp được biểu mẫu quý theo quý, 6 tháng, năm và giai đoạn 5 năm.");
}
