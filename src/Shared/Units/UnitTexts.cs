using Qcdc.Localization;

namespace Qcdc.Units;

/// <summary>Every message about units and their import, in English and Vietnamese.</summary>
public static class UnitTexts
{
    public static readonly LocalizedText BadCode = new("'{0}' is not a valid unit code ([A-Z0-9-], 1 to 40 characters).", "'{0}' không phải mã đơn vị hợp lệ ([A-Z0-9-], 1 đến 40 ký tự).");
    public static readonly LocalizedText DuplicateCode = new("The code {0} appears more than once.", "Mã {0} xuất hiện nhiều lần.");
    public static readonly LocalizedText NoName = new("The unit has no name.", "Đơn vị chưa có tên.");
    public static readonly LocalizedText UnknownKind = new("Unknown kind '{0}'.", "Loại đơn vị '{0}' không tồn tại.");
    public static readonly LocalizedText EndsBeforeStart = new("validTo is before validFrom.", "Ngày hết hiệu lực trước ngày có hiệu lực.");
    public static readonly LocalizedText UnknownParent = new("Unknown parent {0}.", "Đơn vị cấp trên {0} không tồn tại.");
    public static readonly LocalizedText OutsideParent = new("The unit's validity overlaps a time when its parent {0} does not exist.", "Thời gian hiệu lực của đơn vị vượt ra ngoài thời gian tồn tại của đơn vị cấp trên {0}.");
    public static readonly LocalizedText Cycle = new("The unit is its own ancestor (a cycle).", "Đơn vị là cấp trên của chính nó (vòng lặp).");
    public static readonly LocalizedText GsoOverlap = new("The GSO code {0} is used by {1} during an overlapping time.", "Mã thống kê {0} đang được đơn vị {1} sử dụng trong cùng thời gian.");
    public static readonly LocalizedText CurrentWithSuccessors = new("A current unit cannot have successors; set validTo.", "Đơn vị còn hiệu lực không thể có đơn vị kế thừa; hãy đặt ngày hết hiệu lực.");
    public static readonly LocalizedText UnknownSuccessor = new("Unknown successor {0}.", "Đơn vị kế thừa {0} không tồn tại.");
    public static readonly LocalizedText SuccessorNotNext = new("The successor {0} is not active on the day after this unit ends.", "Đơn vị kế thừa {0} không có hiệu lực vào ngày sau khi đơn vị này kết thúc.");
    public static readonly LocalizedText BadShare = new("The share for {0} must be above 0 and at most 1.", "Tỷ lệ chuyển cho {0} phải lớn hơn 0 và không quá 1.");
    public static readonly LocalizedText SuccessorTwice = new("A successor is listed twice.", "Một đơn vị kế thừa bị liệt kê hai lần.");
    public static readonly LocalizedText SomeShares = new("Give a share for every successor or for none.", "Hãy ghi tỷ lệ cho tất cả hoặc không cho đơn vị kế thừa nào.");
    public static readonly LocalizedText SharesNotOne = new("The successors' shares must add up to 1.", "Tổng tỷ lệ của các đơn vị kế thừa phải bằng 1.");
    public static readonly LocalizedText BadDate = new("asOf must be a date written yyyy-MM-dd.", "asOf phải là ngày dạng yyyy-MM-dd.");
    public static readonly LocalizedText ImportRace = new("Another unit import changed the hierarchy while this one was being written; nothing of this one was kept. Send it again.", "Một lần nhập đơn vị khác đã thay đổi danh sách trong lúc lần này đang ghi; chưa có dữ liệu nào của lần này được giữ lại. Hãy gửi lại.");
    public static readonly LocalizedText InvalidImport = new("The units have {0} problem(s); nothing was written.", "Danh sách đơn vị có {0} lỗi; chưa có dữ liệu nào được ghi.");
}
