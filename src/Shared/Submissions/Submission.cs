using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Qcdc.Json;
using Qcdc.Security;
using Qcdc.Storage;

namespace Qcdc.Submissions;

[JsonConverter(typeof(KebabCaseEnumConverter<SubmissionStatus>))]
public enum SubmissionStatus
{
    Draft,
    Submitted,
    Approved,
    Returned,
}

[JsonConverter(typeof(KebabCaseEnumConverter<SubmissionAction>))]
public enum SubmissionAction
{
    Created,
    Updated,
    Submitted,
    Approved,
    Returned,
    /// <summary>Written whole from a file (past years' figures), approved as the file states them.</summary>
    Imported,
    /// <summary>A reviewer marked a check "cần kiểm tra lại" (to be looked at again), with a comment.</summary>
    FollowUpRaised,
    /// <summary>The reporting unit answered a follow-up, with a comment.</summary>
    FollowUpAnswered,
}

/// <summary>
/// A reviewer's "cần kiểm tra lại" on one check of a report (its rule and cells), with the comment, and the reporting
/// unit's answer; open until answered. Kept with the report; both comments also go into its history.
/// </summary>
public sealed record FollowUp(
    string Id, string Rule, IReadOnlyList<string> Cells, string Comment, Author By, DateTimeOffset At,
    string? Answer = null, Author? AnsweredBy = null, DateTimeOffset? AnsweredAt = null)
{
    [JsonIgnore]
    public bool IsOpen => Answer is null;
}

/// <summary>How many errors and warnings a report's checks found when it was last written (what lists show).</summary>
public sealed record CheckCounts(int Errors, int Warnings);

/// <summary>A check as stored with the report when it was written, in both languages (what exports list).</summary>
public sealed record StoredCheck(string Rule, Qcdc.Forms.CheckKind Kind, Qcdc.Forms.CheckSeverity Severity, List<string> Cells, string En, string Vi)
{
    public static StoredCheck From(Qcdc.Forms.Check check) =>
        new(check.Rule, check.Kind, check.Severity, [.. check.Cells], check.Message.En, check.Message.Vi);

    public Qcdc.Forms.Check ToCheck() => new(Rule, Kind, Severity, Cells, new Qcdc.Localization.LocalizedText(En, Vi));
}

/// <summary>Which report: one per (form, period, unit).</summary>
public sealed record SubmissionKey(string Form, string Period, string Unit)
{
    public string Partition => StorageKeys.FormPeriod(Form, Period);

    /// <summary>True when every part can name storage keys (route values are checked before they reach a store).</summary>
    public bool IsSafe => StorageKeys.IsSafe(Form) && StorageKeys.IsSafe(Period) && StorageKeys.IsSafe(Unit);
}

/// <summary>Who made a change: the key's id, and the label and person's name given to the key when it was issued.</summary>
public sealed record Author(string KeyId, string? Label = null, string? Name = null)
{
    public static Author Of(Actor actor) => new(actor.KeyId, actor.Label, actor.Name);
}

/// <summary>The current state of a unit's report.</summary>
public sealed record Submission(
    SubmissionKey Key,
    SubmissionStatus Status,
    int Revision,
    int FormVersion,
    JsonObject Values,
    DateTimeOffset UpdatedAt,
    Author UpdatedBy,
    DateTimeOffset? SubmittedAt = null,
    Author? SubmittedBy = null,
    bool Late = false,
    string? ReturnReason = null,
    IReadOnlyList<FollowUp>? FollowUps = null,
    CheckCounts? Counts = null,
    IReadOnlyList<StoredCheck>? Checks = null)
{
    /// <summary>The checks found when the report was last written (rules and outliers as they stood then).</summary>
    public IReadOnlyList<StoredCheck> Checks { get; init; } = Checks ?? [];

    public IReadOnlyList<FollowUp> FollowUps { get; init; } = FollowUps ?? [];

    /// <summary>A strong validator that changes with every accepted write.</summary>
    public string ETag => $"\"{Revision}\"";

    public bool IsEditable => Status is SubmissionStatus.Draft or SubmissionStatus.Returned;
}

/// <summary>One accepted change, kept for ever.</summary>
public sealed record SubmissionRevision(
    int Revision,
    SubmissionAction Action,
    SubmissionStatus Status,
    DateTimeOffset At,
    Author By,
    bool Backfill,
    IReadOnlyList<string> Changed,
    string? Reason,
    int FormVersion,
    JsonObject Values);

/// <summary>A report as a list shows it: no values.</summary>
public sealed record ReportHeader(
    string Unit, SubmissionStatus Status, int Revision, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt, bool Late,
    int Errors = 0, int Warnings = 0, int OpenFollowUps = 0);

/// <summary>What a report is filed against: the form version in force for its period, the period, the unit, and the report as it stands (null before the first write).</summary>
public sealed record ReportForm(Qcdc.Forms.FormDefinition Form, Qcdc.Periods.Period Period, Qcdc.Units.Unit Unit, Submission? Current);

/// <summary>A change of a report's state that people are told about, as recorded with the change.</summary>
public sealed record NoticeEvent(string Form, string Period, string Row, string Unit, SubmissionAction Action, int Revision, DateTimeOffset At, string? Reason, bool Late);
