using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Qcdc.Forms;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Units;

namespace Qcdc.Submissions;

/// <summary>
/// The lifecycle of a unit's periodic report: draft → submitted → approved | returned → … Every accepted change
/// writes a revision; a stale ETag is refused, never a lost update; a retried request with the same
/// Idempotency-Key replays the first answer.
/// </summary>
public sealed class SubmissionService(
    SubmissionStore store,
    FormStore forms,
    UnitStore units,
    PeriodCatalog periods,
    TimeProvider time)
{
    public async Task<SubmissionResult> SaveDraftAsync(SubmissionKey key, JsonElement values, WriteRequest request, CancellationToken cancellationToken)
    {
        var context = await ResolveAsync(key, request, formVersion: null, cancellationToken);
        if (context.Failure is not null)
        {
            return context.Failure;
        }
        var (validated, problems) = SubmissionValues.Validate(context.Form!, values);
        if (problems.Count > 0)
        {
            return SubmissionResult.Fail(SubmissionFailure.Invalid, Texts.InvalidValues.Format(problems.Count), problems);
        }
        return await WriteAsync(key, request, context, cancellationToken, current =>
        {
            if (current is not null && !current.IsEditable)
            {
                return (null, Texts.NotEditable.Format(Texts.Status(current.Status)));
            }
            var now = time.GetUtcNow();
            var next = current is null
                ? new Submission(key, SubmissionStatus.Draft, 1, context.Form!.Version, validated, now, request.Actor.KeyId)
                : current with { Status = SubmissionStatus.Draft, Revision = current.Revision + 1, FormVersion = context.Form!.Version, Values = validated, UpdatedAt = now, UpdatedBy = request.Actor.KeyId };
            return (new Change(next, current is null ? SubmissionAction.Created : SubmissionAction.Updated, Changed(current?.Values, validated), null), null);
        });
    }

    public async Task<SubmissionResult> SubmitAsync(SubmissionKey key, WriteRequest request, CancellationToken cancellationToken) =>
        await TransitionAsync(key, request, null, cancellationToken, (current, context, now) =>
        {
            if (!current.IsEditable)
            {
                return (null, Texts.NotEditable.Format(Texts.Status(current.Status)), null);
            }
            var (_, problems) = SubmissionValues.Validate(context.Form!, JsonSerializer.SerializeToElement(current.Values, Qcdc.Json.QcdcJson.Context.JsonObject));
            var missing = problems.Concat(SubmissionValues.MissingRequired(context.Form!, current.Values)).ToList();
            if (missing.Count > 0)
            {
                return (null, Texts.InvalidValues.Format(missing.Count), missing);
            }
            var late = VietnamTime.DateOf(now) > context.Schedule!.DeadlineFor(context.Unit!.Kind);
            return (new Change(current with { Status = SubmissionStatus.Submitted, SubmittedAt = now, SubmittedBy = request.Actor.KeyId, Late = late, ReturnReason = null },
                SubmissionAction.Submitted, [], null), null, null);
        });

    public async Task<SubmissionResult> ApproveAsync(SubmissionKey key, WriteRequest request, CancellationToken cancellationToken) =>
        await TransitionAsync(key, request, null, cancellationToken, (current, _, _) =>
            current.Status != SubmissionStatus.Submitted
                ? (null, Texts.OnlySubmitted.Format(Texts.Status(current.Status)), null)
                : (new Change(current with { Status = SubmissionStatus.Approved }, SubmissionAction.Approved, [], null), null, null));

    public async Task<SubmissionResult> ReturnAsync(SubmissionKey key, string reason, WriteRequest request, CancellationToken cancellationToken) =>
        await TransitionAsync(key, request, reason, cancellationToken, (current, _, _) =>
            current.Status is not (SubmissionStatus.Submitted or SubmissionStatus.Approved)
                ? (null, Texts.OnlySubmitted.Format(Texts.Status(current.Status)), null)
                : (new Change(current with { Status = SubmissionStatus.Returned, ReturnReason = reason }, SubmissionAction.Returned, [], reason), null, null));

    public async Task<Submission?> GetAsync(SubmissionKey key, CancellationToken cancellationToken) =>
        (await store.GetAsync(key, cancellationToken)).Submission;

    /// <summary>
    /// Whether the actor may change the report's content now, by the same rules as a write: form, period, unit and
    /// lock date allow it, and the report exists as a draft or returned. Its attachments follow this rule.
    /// </summary>
    public async Task<SubmissionResult> CheckEditableAsync(SubmissionKey key, Qcdc.Security.Actor actor, CancellationToken cancellationToken)
    {
        var context = await ResolveAsync(key, new WriteRequest(actor, null, null, ""), formVersion: null, cancellationToken);
        if (context.Failure is not null)
        {
            return context.Failure;
        }
        return await GetAsync(key, cancellationToken) switch
        {
            null => SubmissionResult.Fail(SubmissionFailure.NotFound, Texts.NoSubmission),
            { IsEditable: false } current => SubmissionResult.Fail(SubmissionFailure.WrongStatus, Texts.NotEditable.Format(Texts.Status(current.Status))),
            var current => new SubmissionResult(current),
        };
    }

    public Task<IReadOnlyList<SubmissionRevision>> HistoryAsync(SubmissionKey key, CancellationToken cancellationToken) =>
        store.HistoryAsync(key, cancellationToken);

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    private sealed record Change(Submission Next, SubmissionAction Action, IReadOnlyList<string> Changed, string? Reason);

    private sealed record Context(FormDefinition? Form, Period? Period, Unit? Unit, PeriodSchedule? Schedule, bool Backfill, SubmissionResult? Failure);

    private delegate (Change? Change, LocalizedText? Refusal, IReadOnlyList<ValueProblem>? Problems) Transition(Submission current, Context context, DateTimeOffset now);

    private async Task<SubmissionResult> TransitionAsync(
        SubmissionKey key, WriteRequest request, string? reason, CancellationToken cancellationToken, Transition transition)
    {
        var existing = await GetAsync(key, cancellationToken);
        var context = await ResolveAsync(key, request, existing?.FormVersion, cancellationToken);
        if (context.Failure is not null)
        {
            return context.Failure;
        }
        IReadOnlyList<ValueProblem>? invalid = null;
        var result = await WriteAsync(key, request, context, cancellationToken, current =>
        {
            if (current is null)
            {
                return (null, null);
            }
            var now = time.GetUtcNow();
            var (change, refusal, problems) = transition(current, context, now);
            invalid = problems;
            return change is null
                ? (null, refusal)
                : (change with { Next = change.Next with { Revision = current.Revision + 1, UpdatedAt = now, UpdatedBy = request.Actor.KeyId } }, null);
        }, requireExisting: true);
        return invalid is { Count: > 0 } ? SubmissionResult.Fail(SubmissionFailure.Invalid, result.Message!.Value, invalid) : result;
    }

    private async Task<SubmissionResult> WriteAsync(
        SubmissionKey key, WriteRequest request, Context context, CancellationToken cancellationToken,
        Func<Submission?, (Change? Change, LocalizedText? Refusal)> decide, bool requireExisting = false)
    {
        var keyHash = request.IdempotencyKey is { } idempotencyKey ? Hash(idempotencyKey) : null;
        if (keyHash is not null && await ReplayAsync(key, keyHash, request, cancellationToken) is { } replay)
        {
            return replay;
        }

        // Without If-Match the write can only be a first draft: try to insert it straight away (one storage call);
        // if the report exists after all, the insert fails and the client is told to send If-Match.
        var firstDraft = request.IfMatch is null && !requireExisting;
        var (current, tableETag) = firstDraft ? (null, default) : await store.GetAsync(key, cancellationToken);
        // A twin of this request (same Idempotency-Key) may have won while this one was reading: then its answer,
        // not a refusal, is this request's answer.
        async Task<SubmissionResult> RefuseAsync(SubmissionResult refusal) =>
            keyHash is not null && await ReplayAsync(key, keyHash, request, cancellationToken) is { } twin ? twin : refusal;

        if (current is null && requireExisting)
        {
            return SubmissionResult.Fail(SubmissionFailure.NotFound, Texts.NoSubmission);
        }
        if (request.IfMatch is { } ifMatch && ifMatch != "*" && (current is null || !string.Equals(ifMatch.Trim(), current.ETag, StringComparison.Ordinal)))
        {
            return await RefuseAsync(SubmissionResult.Fail(SubmissionFailure.PreconditionFailed, Texts.Stale.Format(current?.ETag ?? "none")));
        }

        var (change, refusal) = decide(current);
        if (change is null)
        {
            return await RefuseAsync(SubmissionResult.Fail(refusal is null ? SubmissionFailure.NotFound : SubmissionFailure.WrongStatus, refusal ?? Texts.NoSubmission));
        }
        var revision = new SubmissionRevision(change.Next.Revision, change.Action, change.Next.Status, change.Next.UpdatedAt, request.Actor.KeyId,
            context.Backfill, change.Changed, change.Reason, change.Next.FormVersion, change.Next.Values);
        var created = current is null;

        var committed = await store.CommitAsync(change.Next, created ? null : tableETag, revision,
            keyHash is null ? null : (keyHash, request.Fingerprint, created ? 201 : 200), cancellationToken);
        if (committed == CommitResult.Conflict && firstDraft && (keyHash is null || await store.GetIdempotencyAsync(key, keyHash, cancellationToken) is null)
            && (await store.GetAsync(key, cancellationToken)).Submission is { } existing)
        {
            return SubmissionResult.Fail(SubmissionFailure.PreconditionRequired, Texts.IfMatchRequired.Format(existing.ETag));
        }
        if (committed == CommitResult.Conflict)
        {
            // Another write won: the same key retried concurrently replays it; anything else is a stale precondition.
            return await RefuseAsync(SubmissionResult.Fail(SubmissionFailure.PreconditionFailed, Texts.Stale.Format(current?.ETag ?? "none")));
        }
        return new SubmissionResult(change.Next, Created: created);
    }

    private async Task<SubmissionResult?> ReplayAsync(SubmissionKey key, string keyHash, WriteRequest request, CancellationToken cancellationToken)
    {
        var record = await store.GetIdempotencyAsync(key, keyHash, cancellationToken);
        if (record is null)
        {
            return null;
        }
        if (record.RequestHash != request.Fingerprint)
        {
            return SubmissionResult.Fail(SubmissionFailure.IdempotencyKeyReused, Texts.KeyReused);
        }
        var state = await store.GetStateAtAsync(key, record.Revision, cancellationToken);
        return new SubmissionResult(state, Created: record.Status == 201, Replayed: true);
    }

    private async Task<Context> ResolveAsync(SubmissionKey key, WriteRequest request, int? formVersion, CancellationToken cancellationToken)
    {
        static Context Fail(SubmissionFailure failure, LocalizedText message, string field) =>
            new(null, null, null, null, false, SubmissionResult.Fail(failure, message, [new ValueProblem(field, null, null, message)]));

        var catalog = await forms.GetCatalogAsync(cancellationToken);
        if (catalog.Find(key.Form) is null)
        {
            return Fail(SubmissionFailure.NotFound, CommonTexts.UnknownForm.Format(key.Form), "form");
        }
        var form = catalog.Find(key.Form, formVersion) ?? catalog.Find(key.Form)!;
        if (!periods.TryResolve(key.Period, out var period))
        {
            return Fail(SubmissionFailure.Invalid, CommonTexts.BadPeriod.Format(key.Period), "period");
        }
        if (period.Type != form.PeriodType)
        {
            return Fail(SubmissionFailure.Invalid, Texts.WrongPeriodType.Format(key.Period, form.Code, form.PeriodType), "period");
        }
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        if (hierarchy.Find(key.Unit) is not { } unit || !unit.IsActiveOn(period.End))
        {
            return Fail(SubmissionFailure.Invalid, Texts.UnitNotActive.Format(key.Unit, key.Period), "unit");
        }
        if (!form.AppliesTo(unit.Kind))
        {
            return Fail(SubmissionFailure.Invalid, Texts.NotApplicable.Format(form.Code, unit.Kind), "unit");
        }
        var schedule = form.Schedule.For(period);
        var today = VietnamTime.Today(time);
        if (!schedule.HasStartedOn(today))
        {
            return Fail(SubmissionFailure.Invalid, Texts.NotStarted.Format(key.Period, schedule.DataStart), "period");
        }
        var locked = schedule.IsLockedOn(today);
        if (locked && !request.Actor.IsAdmin)
        {
            return new(null, null, null, null, false, SubmissionResult.Fail(SubmissionFailure.Locked, Texts.Locked.Format(key.Period, schedule.LockDate)));
        }
        return new(form, period, unit, schedule, locked, null);
    }

    private static List<string> Changed(JsonObject? before, JsonObject after) =>
        [.. after.Select(a => a.Key).Union(before?.Select(b => b.Key) ?? [])
            .Where(code => !JsonNode.DeepEquals(before?[code], after[code]))
            .Order(StringComparer.Ordinal)];
}
