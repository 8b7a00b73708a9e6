using Qcdc.Localization;

namespace Qcdc.Problems;

/// <summary>Why the domain refused a request. Each kind has exactly one HTTP status (see the API's problem mapper).</summary>
public enum RefusalKind
{
    /// <summary>The thing asked for does not exist (form, report, attachment, key, unit).</summary>
    NotFound,
    /// <summary>The request cannot be read: its body or a header is malformed.</summary>
    BadRequest,
    /// <summary>Bad values, period, unit or form: every problem is listed.</summary>
    Invalid,
    /// <summary>The current state does not allow this (e.g. editing an approved report).</summary>
    WrongState,
    /// <summary>The period is locked for reporters and reviewers.</summary>
    Locked,
    /// <summary>A limit on how many things may exist was reached (attachments of a report).</summary>
    LimitReached,
    /// <summary>Another request changed the same thing at the same time (publishing a form version).</summary>
    Concurrent,
    /// <summary>If-Match does not match the current ETag, or another write won the race.</summary>
    PreconditionFailed,
    /// <summary>An existing thing is updated without a concrete If-Match.</summary>
    PreconditionRequired,
    /// <summary>The Idempotency-Key was used before with a different request.</summary>
    IdempotencyKeyReused,
    /// <summary>An upload did not match its declaration.</summary>
    Rejected,
    /// <summary>The request is larger than what can be stored.</summary>
    TooLarge,
}

/// <summary>
/// One problem of a request: where it is (<c>values.dialogues.commune</c>, <c>period</c>, <c>C14</c>), the indicator's
/// code and Vietnamese label when it is about one, and why, in both languages. The API writes the message in the
/// caller's language.
/// </summary>
public sealed record FieldProblem(string Field, LocalizedText Message, string? Code = null, string? Label = null);

/// <summary>A refusal: its kind, a sentence for people, and every field at fault. Nothing was written.</summary>
public sealed record Refusal(RefusalKind Kind, LocalizedText Message, IReadOnlyList<FieldProblem> Problems)
{
    public static Refusal Of(RefusalKind kind, LocalizedText message) => new(kind, message, []);

    /// <summary>A refusal about one field, naming it.</summary>
    public static Refusal About(RefusalKind kind, string field, LocalizedText message) => new(kind, message, [new FieldProblem(field, message)]);
}
