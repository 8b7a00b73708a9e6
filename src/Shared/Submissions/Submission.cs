using Qcdc.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Nodes;

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
}

/// <summary>Which report: one per (form, period, unit).</summary>
public sealed record SubmissionKey(string Form, string Period, string Unit)
{
    public string Partition => $"{Form}|{Period}";
}

/// <summary>The current state of a unit's report.</summary>
public sealed record Submission(
    SubmissionKey Key,
    SubmissionStatus Status,
    int Revision,
    int FormVersion,
    JsonObject Values,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    DateTimeOffset? SubmittedAt = null,
    string? SubmittedBy = null,
    bool Late = false,
    string? ReturnReason = null)
{
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
    string By,
    bool Backfill,
    IReadOnlyList<string> Changed,
    string? Reason,
    int FormVersion,
    JsonObject Values);
