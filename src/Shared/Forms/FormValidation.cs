using Qcdc.Localization;
using Qcdc.Units;

namespace Qcdc.Forms;

/// <summary>One problem in a form definition, naming the field (and indicator) at fault.</summary>
public sealed record FormProblem(string Field, LocalizedText Message);

/// <summary>Checks a form definition before a version is published.</summary>
public static class FormValidation
{
    public static IReadOnlyList<FormProblem> Validate(FormDefinition form)
    {
        var problems = new List<FormProblem>();
        void Add(string field, string en, string vi, params object?[] args) => problems.Add(new(field, new LocalizedText(en, vi).Format(args)));

        if (!FormDefinition.IsValidCode(form.Code))
        {
            Add("code", "'{0}' is not a valid form code ([A-Z0-9-], 1 to 40 characters).", "'{0}' không phải mã biểu mẫu hợp lệ.", form.Code);
        }
        if (string.IsNullOrWhiteSpace(form.Title))
        {
            Add("title", "The form has no title.", "Biểu mẫu chưa có tiêu đề.");
        }
        if (form.ApplicableKinds.Count == 0)
        {
            Add("applicableKinds", "Name at least one kind of unit the form applies to.", "Cần ít nhất một loại đơn vị áp dụng biểu mẫu.");
        }
        foreach (var kind in form.ApplicableKinds.Where(k => !UnitKinds.All.Contains(k)))
        {
            Add("applicableKinds", "Unknown unit kind '{0}'.", "Loại đơn vị '{0}' không tồn tại.", kind);
        }
        if (form.Indicators.Count == 0)
        {
            Add("indicators", "The form has no indicators.", "Biểu mẫu chưa có chỉ tiêu nào.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var indicator in form.Indicators)
        {
            var field = $"indicators.{indicator.Code}";
            if (!FormDefinition.IsValidIndicatorCode(indicator.Code))
            {
                Add(field, "'{0}' is not a valid indicator code ([a-z][a-z0-9_]{{0,62}}).", "'{0}' không phải mã chỉ tiêu hợp lệ.", indicator.Code);
            }
            if (!seen.Add(indicator.Code))
            {
                Add(field, "The indicator {0} appears more than once.", "Chỉ tiêu {0} xuất hiện nhiều lần.", indicator.Code);
            }
            if (string.IsNullOrWhiteSpace(indicator.Label))
            {
                Add(field, "The indicator {0} has no label.", "Chỉ tiêu {0} chưa có tên.", indicator.Code);
            }
            ValidateRules(indicator, field, Add);
        }

        foreach (var rule in form.Rules)
        {
            foreach (var side in new[] { rule.Left, rule.Right })
            {
                if (form.FindIndicator(side) is not { IsNumeric: true })
                {
                    Add("rules", "A rule names {0}, which is not a numeric indicator of this form.", "Quy tắc dẫn chiếu {0}, không phải chỉ tiêu dạng số của biểu mẫu.", side);
                }
            }
        }

        if (form.Schedule.LockAfterDays is < 0 or > 3660)
        {
            Add("schedule.lockAfterDays", "lockAfterDays must be between 0 and 3660.", "Số ngày khóa kỳ phải từ 0 đến 3660.");
        }
        foreach (var (kind, deadline) in form.Schedule.Deadlines)
        {
            if ((deadline.WorkingDaysAfterCutoff is null) == (deadline.DayOfLastMonth is null)
                || deadline.WorkingDaysAfterCutoff is < 0 or > 60 || deadline.DayOfLastMonth is < 1 or > 31)
            {
                Add($"schedule.deadlines.{kind}", "Give either workingDaysAfterCutoff (0–60) or dayOfLastMonth (1–31).",
                    "Cần ghi một trong hai: số ngày làm việc sau ngày chốt số liệu (0–60) hoặc ngày của tháng cuối kỳ (1–31).");
            }
            if (kind != ScheduleRule.DefaultKind && !UnitKinds.All.Contains(kind))
            {
                Add($"schedule.deadlines.{kind}", "Unknown unit kind '{0}'.", "Loại đơn vị '{0}' không tồn tại.", kind);
            }
        }
        return problems;
    }

    private static void ValidateRules(Indicator indicator, string field, Action<string, string, string, object?[]> add)
    {
        var allowedAcross = indicator.Type switch
        {
            IndicatorType.Ratio => new[] { HierarchyAggregation.RatioOfSums, HierarchyAggregation.None },
            IndicatorType.Text => [HierarchyAggregation.None],
            IndicatorType.Boolean => [HierarchyAggregation.Sum, HierarchyAggregation.None],
            _ => Enum.GetValues<HierarchyAggregation>().Where(a => a != HierarchyAggregation.RatioOfSums).ToArray(),
        };
        if (!allowedAcross.Contains(indicator.AcrossHierarchy))
        {
            add(field, "{0} cannot be aggregated across the hierarchy by {1}.", "Chỉ tiêu {0} không thể tổng hợp theo cấp bằng quy tắc {1}.", [indicator.Code, indicator.AcrossHierarchy]);
        }
        if (indicator.Type == IndicatorType.Text && indicator.OverTime != TimeAggregation.None)
        {
            add(field, "Text indicator {0} is not aggregated over time.", "Chỉ tiêu văn bản {0} không tổng hợp theo thời gian.", [indicator.Code]);
        }
        if (indicator.Categories.Count > 0)
        {
            if (!indicator.IsNumeric)
            {
                add(field, "Only numeric indicators can be split into categories ({0}).", "Chỉ chỉ tiêu dạng số mới được chia theo nhóm ({0}).", [indicator.Code]);
            }
            var codes = indicator.Categories.Select(c => c.Code).ToList();
            if (codes.Distinct(StringComparer.Ordinal).Count() != codes.Count || codes.Any(c => !FormDefinition.IsValidIndicatorCode(c) || c == "total"))
            {
                add(field, "The categories of {0} must be distinct codes ([a-z][a-z0-9_]*, not 'total').", "Các nhóm của {0} phải có mã khác nhau, hợp lệ và khác 'total'.", [indicator.Code]);
            }
        }
        if (indicator.Min is { } min && indicator.Max is { } max && min > max)
        {
            add(field, "The minimum of {0} is above its maximum.", "Giá trị nhỏ nhất của {0} lớn hơn giá trị lớn nhất.", [indicator.Code]);
        }
        if (indicator.DecimalPlaces is < 0 or > 6)
        {
            add(field, "decimalPlaces of {0} must be between 0 and 6.", "Số chữ số thập phân của {0} phải từ 0 đến 6.", [indicator.Code]);
        }
        if (indicator.MaxLength is < 1 or > 30000)
        {
            add(field, "maxLength of {0} must be between 1 and 30000.", "Độ dài tối đa của {0} phải từ 1 đến 30000.", [indicator.Code]);
        }
    }
}
