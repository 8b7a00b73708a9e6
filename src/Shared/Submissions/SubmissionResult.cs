using Qcdc.Localization;

namespace Qcdc.Submissions;

public enum SubmissionFailure
{
    /// <summary>The form or the submission does not exist.</summary>
    NotFound,
    /// <summary>Bad values, period, unit or form: every problem is listed.</summary>
    Invalid,
    /// <summary>The submission's status does not allow this (e.g. editing an approved report).</summary>
    WrongStatus,
    /// <summary>The period is locked for reporters and reviewers.</summary>
    Locked,
    /// <summary>If-Match does not match the current ETag, or another write won the race.</summary>
    PreconditionFailed,
    /// <summary>An existing submission is updated without If-Match.</summary>
    PreconditionRequired,
    /// <summary>The Idempotency-Key was used before with a different request.</summary>
    IdempotencyKeyReused,
}

/// <summary>What a write did: the new (or replayed) state, or why nothing was written.</summary>
public sealed record SubmissionResult(
    Submission? Submission,
    bool Created = false,
    bool Replayed = false,
    SubmissionFailure? Failure = null,
    LocalizedText? Message = null,
    IReadOnlyList<ValueProblem>? Problems = null)
{
    public static SubmissionResult Fail(SubmissionFailure failure, LocalizedText message, IReadOnlyList<ValueProblem>? problems = null) =>
        new(null, Failure: failure, Message: message, Problems: problems ?? []);
}

/// <summary>Who writes, and the request's conditions.</summary>
public sealed record WriteRequest(Qcdc.Security.Actor Actor, string? IfMatch, string? IdempotencyKey, string Fingerprint);
