using Qcdc.Problems;
using Qcdc.Security;

namespace Qcdc.Submissions;

/// <summary>What a write did: the new (or replayed, or unchanged) state, or why nothing was written.</summary>
public sealed record SubmissionResult(Submission? Submission, bool Created = false, bool Replayed = false, Refusal? Refusal = null)
{
    /// <summary>Every check of the report as written (rules and outliers).</summary>
    public IReadOnlyList<Qcdc.Forms.Check> Checks { get; init; } = [];

    /// <summary>The fields a draft save could not keep, each with why (they keep what they held).</summary>
    public IReadOnlyList<FieldProblem> Refused { get; init; } = [];

    public static SubmissionResult Refuse(Refusal refusal) => new(null, Refusal: refusal);

    public static SubmissionResult Refuse(RefusalKind kind, Qcdc.Localization.LocalizedText message, IReadOnlyList<FieldProblem>? problems = null) =>
        new(null, Refusal: new Refusal(kind, message, problems ?? []));
}

/// <summary>Who writes, and the request's conditions: If-Match, the Idempotency-Key and what the key is bound to.</summary>
public sealed record WriteRequest(Actor Actor, string? IfMatch, string? IdempotencyKey, string Fingerprint);
