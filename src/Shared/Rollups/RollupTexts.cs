using Qcdc.Localization;

namespace Qcdc.Rollups;

/// <summary>Every message about rollups, in English and Vietnamese.</summary>
public static class RollupTexts
{
    public static readonly LocalizedText QuarterOnly = new(
        "{0} {1}: rollups run for the quarterly form and its quarters, half-years, years and five-year windows.",
        "{0} {1}: chỉ tổng hợp được biểu mẫu quý theo quý, 6 tháng, năm và giai đoạn 5 năm.");

    public static readonly LocalizedText NotBegun = new(
        "{0} has no reports for {1} yet: the period has not begun or no version of the form was in force in it.",
        "Biểu mẫu {0} chưa có báo cáo kỳ {1}: kỳ báo cáo chưa bắt đầu hoặc biểu mẫu chưa áp dụng trong kỳ này.");

    public static readonly LocalizedText UnitNotInPeriod = new(
        "Unit {0} did not exist in {1}: it existed from {2} to {3}.",
        "Đơn vị {0} không tồn tại trong kỳ {1}: đơn vị tồn tại từ {2} đến {3}.");

    public static readonly LocalizedText UnitNotInPeriodYet = new(
        "Unit {0} did not exist in {1}: it exists from {2}.",
        "Đơn vị {0} không tồn tại trong kỳ {1}: đơn vị tồn tại từ {2}.");

    public static readonly LocalizedText SeeSuccessors = new(" Its successors: {0}.", " Đơn vị kế thừa: {0}.");

    public static readonly LocalizedText SeePredecessors = new(" It was formed from: {0}.", " Đơn vị được hình thành từ: {0}.");

    public static readonly LocalizedText CategoryInPart = new(
        "{0} — {1} ({2}.{3}) exists only in {4}: the indicator's total counts it for those quarters.",
        "{0} — {1} ({2}.{3}) chỉ có trong {4}: tổng của chỉ tiêu tính mục này cho các quý đó.");

    public static readonly LocalizedText Carried = new(
        "Some stocks are carried from an earlier quarter of the period: a unit did not report the last one.",
        "Một số chỉ tiêu thời điểm lấy số liệu quý trước trong kỳ: có đơn vị chưa báo cáo quý cuối.");

    public static readonly LocalizedText Split = new(
        "{0} was split: its flows count {1} here; its stocks and ratios count whole in {2}.",
        "{0} đã được chia tách: chỉ tiêu phát sinh tính {1} ở đây; chỉ tiêu thời điểm và tỷ lệ tính toàn bộ cho {2}.");

    public static readonly LocalizedText Apportioned = new(
        "Figures that include a split predecessor's share are shown rounded to the indicator's precision; every total above them is computed from the exact shares.",
        "Số liệu có phần chia từ đơn vị bị chia tách được làm tròn theo độ chính xác của chỉ tiêu; các tổng cấp trên tính từ phần chia chính xác.");
}
