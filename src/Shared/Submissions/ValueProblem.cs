using Qcdc.Localization;

namespace Qcdc.Submissions;

/// <summary>One bad value: where it is (<c>values.dialogues.commune</c>), the indicator's code and Vietnamese label, and why.</summary>
public sealed record ValueProblem(string Field, string? Indicator, string? Label, LocalizedText Message);
