using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Qcdc.Forms;
using Qcdc.Json;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Problems;
using Qcdc.Security;
using Qcdc.Storage;
using Qcdc.Units;

namespace Qcdc.Submissions;

/// <summary>
/// The lifecycle of a unit's periodic report: draft → submitted → approved | returned → … Every accepted change
/// writes a revision; a stale ETag is refused, never a lost update; a retried request with the same
/// Idempotency-Key replays the first answer; a write that changes nothing writes nothing.
/// </summary>
public sealed partial class SubmissionService(
    SubmissionStore store,
    FormStore forms,
    UnitStore units,
    PeriodCatalog periods,
    TimeProvider time,
    IEnumerable<ISubmissionObserver> observers,
    ReportChecks reportChecks,
    Microsoft.Extensions.Logging.ILogger<SubmissionService> logger)
{
    /// <summary>
    /// PUT: the values replace the report's values whole — each value that passes its field's checks; a refused field
    /// keeps what it held, and the answer names it (<see cref="SubmissionResult.Refused"/>). Only when nothing at all
    /// could be kept is the write refused whole.
    /// </summary>
    public async Task<SubmissionResult> SaveAsync(SubmissionKey key, JsonElement values, WriteRequest request, CancellationToken cancellationToken)
    {
        var context = await ResolveAsync(key, request.Actor, cancellationToken);
        if (context.Refusal is { } refusal)
        {
            return SubmissionResult.Refuse(refusal);
        }
        var (validated, problems) = SubmissionValues.Validate(context.Form, values);
        if (problems.Count > 0 && validated.Count == 0)
        {
            return SubmissionResult.Refuse(RefusalKind.Invalid, SubmissionTexts.NothingSaved.Format(problems.Count), problems);
        }
        // Without If-Match the write can only be a first draft: insert it straight away (one storage call).
        var result = await WriteAsync(key, request, context, readFirst: request.IfMatch is not null, preconditionRequired: true,
            current => Edit(key, current, Kept(validated, current?.Values, problems), context, request), cancellationToken);
        return result.Submission is null ? result : result with { Refused = problems };
    }

    /// <summary>PATCH (merge patch): only the named values change, <c>null</c> removes one; a refused field keeps what it held.</summary>
    public async Task<SubmissionResult> PatchAsync(SubmissionKey key, JsonElement patch, WriteRequest request, CancellationToken cancellationToken)
    {
        var context = await ResolveAsync(key, request.Actor, cancellationToken);
        if (context.Refusal is { } refusal)
        {
            return SubmissionResult.Refuse(refusal);
        }
        IReadOnlyList<FieldProblem> refused = [];
        var result = await WriteAsync(key, request, context, readFirst: true, preconditionRequired: true, current =>
        {
            var merged = MergePatch.Apply(current?.Values, patch);
            var (validated, problems) = SubmissionValues.Validate(context.Form, JsonSerializer.SerializeToElement(merged, QcdcJson.Context.JsonNode));
            refused = problems;
            var named = patch.ValueKind == JsonValueKind.Object ? patch.EnumerateObject().Select(p => p.Name).ToList() : [];
            var refusedCodes = problems.Select(CodeOf).ToHashSet(StringComparer.Ordinal);
            return problems.Count > 0 && (named.Count == 0 || named.All(refusedCodes.Contains))
                ? Decision.Refuse(new Refusal(RefusalKind.Invalid, SubmissionTexts.NothingSaved.Format(problems.Count), problems))
                : Edit(key, current, Kept(validated, current?.Values, problems), context, request);
        }, cancellationToken);
        return result.Submission is null ? result : result with { Refused = refused };
    }

    /// <summary>The values that passed, with each refused field's earlier value kept.</summary>
    private static JsonObject Kept(JsonObject validated, JsonObject? current, IReadOnlyList<FieldProblem> problems)
    {
        foreach (var code in problems.Select(CodeOf).Distinct(StringComparer.Ordinal))
        {
            if (!validated.ContainsKey(code) && current?[code] is { } earlier)
            {
                validated[code] = earlier.DeepClone();
            }
        }
        return validated;
    }

    private static string CodeOf(FieldProblem problem) => problem.Code ?? problem.Field.Split('.').ElementAtOrDefault(1) ?? problem.Field;

    /// <summary>
    /// Submits a draft or returned report when nothing blocks it: every field valid, every required indicator given,
    /// no rule of error severity broken (all listed at once). Warnings never block.
    /// </summary>
    public Task<SubmissionResult> SubmitAsync(SubmissionKey key, WriteRequest request, CancellationToken cancellationToken) =>
        TransitionAsync(key, request, cancellationToken, (current, context, now) =>
        {
            if (!current.IsEditable)
            {
                return Decision.Refuse(Refusal.Of(RefusalKind.WrongState, SubmissionTexts.NotEditable.Format(SubmissionTexts.Status(current.Status))));
            }
            var form = (context.Catalog.Find(key.Form, current.FormVersion) ?? context.Form).For(context.Unit.Kind);
            var (_, problems) = SubmissionValues.Validate(form, JsonSerializer.SerializeToElement(current.Values, QcdcJson.Context.JsonObject));
            var errors = reportChecks.RulesOf(form).Evaluate(current.Values).Where(c => c.Severity == CheckSeverity.Error)
                .Select(c => new FieldProblem($"values.{c.Cells.FirstOrDefault() ?? ""}", c.Message, c.Rule)).ToList();
            var blocking = problems.Concat(SubmissionValues.MissingRequired(form, current.Values)).Concat(errors).ToList();
            if (blocking.Count > 0)
            {
                return Decision.Refuse(new Refusal(RefusalKind.Invalid, SubmissionTexts.ChecksBlock.Format(blocking.Count), blocking));
            }
            var late = VietnamTime.DateOf(now) > context.Schedule.DeadlineFor(context.Unit.Kind);
            return Decision.Accept(current with { Status = SubmissionStatus.Submitted, SubmittedAt = now, SubmittedBy = Author.Of(request.Actor), Late = late, ReturnReason = null },
                SubmissionAction.Submitted);
        });

    /// <summary>A reviewer marks one of the report's current checks "cần kiểm tra lại", with a comment; it goes into the history.</summary>
    public async Task<SubmissionResult> RaiseFollowUpAsync(
        SubmissionKey key, string rule, string comment, WriteRequest request, CancellationToken cancellationToken)
    {
        var (current, checks) = await GetCheckedAsync(key, cancellationToken);
        if (current is null)
        {
            return SubmissionResult.Refuse(RefusalKind.NotFound, SubmissionTexts.NoSubmission);
        }
        if (checks.FirstOrDefault(c => c.Rule == rule) is not { } check)
        {
            return SubmissionResult.Refuse(Refusal.About(RefusalKind.Invalid, "rule", SubmissionTexts.NoSuchCheck.Format(rule)));
        }
        return await TransitionAsync(key, request, cancellationToken, (report, _, now) =>
        {
            var id = $"f{report.FollowUps.Count + 1}";
            return Decision.Accept(report with { FollowUps = [.. report.FollowUps, new FollowUp(id, check.Rule, check.Cells, comment, Author.Of(request.Actor), now)] },
                SubmissionAction.FollowUpRaised, comment);
        }, allowLocked: true);
    }

    /// <summary>The reporting unit answers an open follow-up with a comment; it goes into the history.</summary>
    public Task<SubmissionResult> AnswerFollowUpAsync(SubmissionKey key, string id, string comment, WriteRequest request, CancellationToken cancellationToken) =>
        TransitionAsync(key, request, cancellationToken, allowLocked: true, transition: (report, _, now) =>
            report.FollowUps.FirstOrDefault(f => f.Id == id && f.IsOpen) is not { } open
                ? Decision.Refuse(Refusal.About(RefusalKind.Invalid, "id", SubmissionTexts.NoSuchFollowUp.Format(id)))
                : Decision.Accept(report with
                {
                    FollowUps = [.. report.FollowUps.Select(f => f == open ? f with { Answer = comment, AnsweredBy = Author.Of(request.Actor), AnsweredAt = now } : f)],
                }, SubmissionAction.FollowUpAnswered, comment));

    /// <summary>The report as it stands with every check of it now (rules and outliers), for a read.</summary>
    public async Task<(Submission? Report, IReadOnlyList<Check> Checks)> GetCheckedAsync(SubmissionKey key, CancellationToken cancellationToken)
    {
        var report = await GetAsync(key, cancellationToken);
        return report is null ? (null, []) : (report, await ChecksOfAsync(report, cancellationToken));
    }

    /// <summary>Every check of a report's values against the form version it was written with.</summary>
    public async Task<IReadOnlyList<Check>> ChecksOfAsync(Submission report, CancellationToken cancellationToken)
    {
        var context = await DescribeAsync(report.Key, cancellationToken);
        if (context.Refusal is not null)
        {
            return [];
        }
        var form = (context.Catalog.Find(report.Key.Form, report.FormVersion) ?? context.Form).For(context.Unit.Kind);
        return await reportChecks.EvaluateAsync(form, context.Period, context.Unit, report.Values, cancellationToken);
    }

    public Task<SubmissionResult> ApproveAsync(SubmissionKey key, WriteRequest request, CancellationToken cancellationToken) =>
        TransitionAsync(key, request, cancellationToken, (current, _, _) =>
            current.Status != SubmissionStatus.Submitted
                ? Decision.Refuse(Refusal.Of(RefusalKind.WrongState, SubmissionTexts.OnlySubmitted.Format(SubmissionTexts.Status(current.Status))))
                : Decision.Accept(current with { Status = SubmissionStatus.Approved }, SubmissionAction.Approved));

    public Task<SubmissionResult> ReturnAsync(SubmissionKey key, string reason, WriteRequest request, CancellationToken cancellationToken) =>
        TransitionAsync(key, request, cancellationToken, (current, _, _) =>
            current.Status is not (SubmissionStatus.Submitted or SubmissionStatus.Approved)
                ? Decision.Refuse(Refusal.Of(RefusalKind.WrongState, SubmissionTexts.OnlySubmitted.Format(SubmissionTexts.Status(current.Status))))
                : Decision.Accept(current with { Status = SubmissionStatus.Returned, ReturnReason = reason }, SubmissionAction.Returned, reason));

    /// <summary>
    /// A report written whole from a file in one commit: the values replace the report's, it stands approved as the
    /// file states it, and its revision says where it came from (<paramref name="source"/>: "from file X by Y"). The
    /// same values again write nothing. A locked period takes the back-fill right, as any write.
    /// </summary>
    public async Task<SubmissionResult> ImportAsync(SubmissionKey key, JsonElement values, string source, Actor actor, CancellationToken cancellationToken)
    {
        var context = await ResolveAsync(key, actor, cancellationToken);
        if (context.Refusal is { } refusal)
        {
            return SubmissionResult.Refuse(refusal);
        }
        var (validated, problems) = SubmissionValues.Validate(context.Form, values);
        if (problems.Count > 0)
        {
            return SubmissionResult.Refuse(RefusalKind.Invalid, SubmissionTexts.InvalidValues.Format(problems.Count), problems);
        }
        var request = new WriteRequest(actor, null, null, "");
        return await WriteAsync(key, request, context, readFirst: true, preconditionRequired: false, current =>
        {
            var now = time.GetUtcNow();
            var next = current is null
                ? new Submission(key, SubmissionStatus.Approved, 1, context.Form.Version, validated, now, Author.Of(actor), now, Author.Of(actor))
                : current with
                {
                    Status = SubmissionStatus.Approved, FormVersion = context.Form.Version, Values = validated, ReturnReason = null,
                    SubmittedAt = current.SubmittedAt ?? now, SubmittedBy = current.SubmittedBy ?? Author.Of(actor),
                };
            return Decision.Accept(next, SubmissionAction.Imported, source);
        }, cancellationToken);
    }

    /// <summary>Whether <see cref="ImportAsync"/> may write the report now (form, period, unit, lock date and back-fill right).</summary>
    public async Task<Refusal?> CheckImportAsync(SubmissionKey key, Actor actor, CancellationToken cancellationToken) =>
        (await ResolveAsync(key, actor, cancellationToken)).Refusal;

    public async Task<Submission?> GetAsync(SubmissionKey key, CancellationToken cancellationToken) =>
        key.IsSafe ? (await store.GetAsync(key, cancellationToken)).Submission : null;

    /// <summary>
    /// Whether the actor may change the report's content now, by the same rules as a write: form, period, unit and
    /// lock date allow it, and the report exists as a draft or returned. Its attachments follow this rule.
    /// </summary>
    public async Task<SubmissionResult> CheckEditableAsync(SubmissionKey key, Actor actor, CancellationToken cancellationToken)
    {
        var context = await ResolveAsync(key, actor, cancellationToken);
        if (context.Refusal is { } refusal)
        {
            return SubmissionResult.Refuse(refusal);
        }
        return await GetAsync(key, cancellationToken) switch
        {
            null => SubmissionResult.Refuse(RefusalKind.NotFound, SubmissionTexts.NoSubmission),
            { IsEditable: false } current => SubmissionResult.Refuse(RefusalKind.WrongState, SubmissionTexts.NotEditable.Format(SubmissionTexts.Status(current.Status))),
            var current => new SubmissionResult(current),
        };
    }

    public async Task<IReadOnlyList<SubmissionRevision>> HistoryAsync(SubmissionKey key, CancellationToken cancellationToken) =>
        key.IsSafe ? await store.HistoryAsync(key, cancellationToken) : [];

    /// <summary>What a write decided: the next state and its history entry, or why not.</summary>
    private sealed record Decision(Submission? Next, SubmissionAction Action, string? Reason, Refusal? Refusal)
    {
        public static Decision Accept(Submission next, SubmissionAction action, string? reason = null) => new(next, action, reason, null);

        public static Decision Refuse(Refusal refusal) => new(null, default, null, refusal);
    }

    private sealed record Context(FormCatalog Catalog, FormDefinition Form, Period Period, Unit Unit, PeriodSchedule Schedule, bool Backfill)
    {
        public Refusal? Refusal { get; init; }
    }

    private Decision Edit(SubmissionKey key, Submission? current, JsonObject values, Context context, WriteRequest request)
    {
        if (current is not null && !current.IsEditable)
        {
            return Decision.Refuse(Refusal.Of(RefusalKind.WrongState, SubmissionTexts.NotEditable.Format(SubmissionTexts.Status(current.Status))));
        }
        var now = time.GetUtcNow();
        var next = current is null
            ? new Submission(key, SubmissionStatus.Draft, 1, context.Form.Version, values, now, Author.Of(request.Actor))
            : current with { Status = SubmissionStatus.Draft, FormVersion = context.Form.Version, Values = values };
        return Decision.Accept(next, current is null ? SubmissionAction.Created : SubmissionAction.Updated);
    }

    private delegate Decision Transition(Submission current, Context context, DateTimeOffset now);

    private async Task<SubmissionResult> TransitionAsync(SubmissionKey key, WriteRequest request, CancellationToken cancellationToken, Transition transition, bool allowLocked = false)
    {
        var context = await ResolveAsync(key, request.Actor, cancellationToken, allowLocked);
        if (context.Refusal is { } refusal)
        {
            return SubmissionResult.Refuse(refusal);
        }
        return await WriteAsync(key, request, context, readFirst: true, preconditionRequired: false, current => current is null
            ? Decision.Refuse(Refusal.Of(RefusalKind.NotFound, SubmissionTexts.NoSubmission))
            : transition(current, context, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>
    /// The one write path: replay a retried request, read the report once (or insert blindly when it can only be
    /// new), decide, check the state before the precondition, skip a change that changes nothing, and commit the
    /// state, its revision, the change mark and the idempotency record together.
    /// </summary>
    private async Task<SubmissionResult> WriteAsync(
        SubmissionKey key, WriteRequest request, Context context, bool readFirst, bool preconditionRequired,
        Func<Submission?, Decision> decide, CancellationToken cancellationToken)
    {
        var keyHash = request.IdempotencyKey is { } idempotencyKey ? Digest.Of(idempotencyKey) : null;
        if (keyHash is not null && await ReplayAsync(key, keyHash, request, cancellationToken) is { } replay)
        {
            return replay.Submission is { } replayed ? replay with { Checks = await ChecksOfAsync(replayed, cancellationToken) } : replay;
        }
        // A twin of this request (same Idempotency-Key) may have won while this one was working: then its answer,
        // not a refusal, is this request's answer.
        async Task<SubmissionResult> RefuseAsync(Refusal refusal) =>
            keyHash is not null && await ReplayAsync(key, keyHash, request, cancellationToken) is { } twin ? twin : SubmissionResult.Refuse(refusal);

        var (current, tableETag) = readFirst ? await store.GetAsync(key, cancellationToken) : (null, default(ETag));
        var decision = decide(current);
        if (decision.Refusal is { } refused)
        {
            return await RefuseAsync(refused);
        }
        if (Precondition(current, request.IfMatch, preconditionRequired) is { } precondition)
        {
            return await RefuseAsync(precondition);
        }
        var now = time.GetUtcNow();
        var next = decision.Next!;
        var form = (context.Catalog.Find(key.Form, next.FormVersion) ?? context.Form).For(context.Unit.Kind);
        var checks = await reportChecks.EvaluateAsync(form, context.Period, context.Unit, next.Values, cancellationToken);
        next = next with
        {
            Counts = new CheckCounts(checks.Count(c => c.Severity == CheckSeverity.Error), checks.Count(c => c.Severity == CheckSeverity.Warning)),
            Checks = [.. checks.Select(StoredCheck.From)],
        };
        if (current is not null)
        {
            if (next.Status == current.Status && next.FormVersion == current.FormVersion && JsonNode.DeepEquals(next.Values, current.Values)
                && next.ReturnReason == current.ReturnReason && next.FollowUps.SequenceEqual(current.FollowUps))
            {
                return new SubmissionResult(current) { Checks = checks }; // nothing changes: no revision, the same ETag
            }
            next = next with { Revision = current.Revision + 1, UpdatedAt = now, UpdatedBy = Author.Of(request.Actor) };
        }
        var revision = new SubmissionRevision(next.Revision, decision.Action, next.Status, next.UpdatedAt, next.UpdatedBy,
            context.Backfill, Changed(current?.Values, next.Values), decision.Reason, next.FormVersion, next.Values);
        var created = current is null;

        var committed = await store.CommitAsync(next, created ? null : tableETag, revision,
            keyHash is null ? null : (keyHash, request.Fingerprint, created ? 201 : 200), cancellationToken);
        if (committed == CommitResult.Committed)
        {
            if (decision.Action is SubmissionAction.Submitted or SubmissionAction.Approved or SubmissionAction.Returned)
            {
                await TellObserversAsync(key, decision.Action, cancellationToken);
            }
            return new SubmissionResult(next, Created: created) { Checks = checks };
        }
        if (!readFirst)
        {
            // The blind insert found a report: the client must name the version it changes, unless the report
            // cannot change at all (its state comes first).
            var (existing, _) = await store.GetAsync(key, cancellationToken);
            if (existing is not null && decide(existing).Refusal is { Kind: RefusalKind.WrongState } state)
            {
                return await RefuseAsync(state);
            }
            return await RefuseAsync(Refusal.Of(RefusalKind.PreconditionRequired, SubmissionTexts.IfMatchRequired.Format(existing?.ETag ?? "none")));
        }
        return await RefuseAsync(Refusal.Of(RefusalKind.PreconditionFailed, SubmissionTexts.Stale.Format(current?.ETag ?? "none")));
    }

    /// <summary>
    /// If-Match rules: changing an existing report needs its concrete ETag (<c>*</c> would let a stale client
    /// overwrite; 428), a different ETag is stale (412), and an ETag for a report that does not exist matches
    /// nothing (412).
    /// </summary>
    private static Refusal? Precondition(Submission? current, string? ifMatch, bool required)
    {
        var given = ifMatch?.Trim();
        if (given is { Length: > 0 } && given != "*" && EntityTags.Parse(given) is null)
        {
            return Refusal.About(RefusalKind.BadRequest, "If-Match", SubmissionTexts.IfMatchMalformed);
        }
        if (current is null)
        {
            return given is null ? null : Refusal.Of(RefusalKind.PreconditionFailed, SubmissionTexts.Stale.Format("none"));
        }
        if (given is null)
        {
            return required ? Refusal.Of(RefusalKind.PreconditionRequired, SubmissionTexts.IfMatchRequired.Format(current.ETag)) : null;
        }
        if (given == "*")
        {
            return Refusal.Of(RefusalKind.PreconditionRequired, SubmissionTexts.IfMatchConcrete.Format(current.ETag));
        }
        // RFC 9110 §13.1.1: the condition holds when any tag of the list matches by strong comparison (a weak tag never does).
        return EntityTags.Parse(given)!.Any(tag => !tag.Weak && string.Equals(tag.Quoted, current.ETag, StringComparison.Ordinal))
            ? null
            : Refusal.Of(RefusalKind.PreconditionFailed, SubmissionTexts.Stale.Format(current.ETag));
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
            return SubmissionResult.Refuse(RefusalKind.IdempotencyKeyReused, SubmissionTexts.KeyReused);
        }
        var state = await store.GetStateAtAsync(key, record.Revision, cancellationToken);
        return new SubmissionResult(state, Created: record.Status == 201, Replayed: true);
    }

    /// <summary>Form, period, unit and dates of a write, read from the cached catalogues (no storage read of the report).</summary>
    /// <summary>
    /// The form version a write of this report is checked against, its period and unit, and the current report — or
    /// why there can be no such report (unknown form, a period of another type, a unit that is not active or not of a
    /// kind the form applies to). Neither the schedule nor the lock is checked: reading the form is always allowed.
    /// </summary>
    public async Task<(ReportForm? Form, Refusal? Refusal)> FormOfAsync(SubmissionKey key, CancellationToken cancellationToken)
    {
        var context = await DescribeAsync(key, cancellationToken);
        if (context.Refusal is { } refusal)
        {
            return (null, refusal);
        }
        return (new ReportForm(context.Form, context.Period, context.Unit, await GetAsync(key, cancellationToken)), null);
    }

    private async Task<Context> DescribeAsync(SubmissionKey key, CancellationToken cancellationToken)
    {
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        if (catalog.Find(key.Form) is null)
        {
            return Fail(RefusalKind.NotFound, CommonTexts.UnknownForm.Format(key.Form), "form");
        }
        if (!periods.TryResolve(key.Period, out var period))
        {
            return Fail(RefusalKind.Invalid, CommonTexts.BadPeriod.Format(key.Period), "period");
        }
        var form = catalog.ForPeriod(key.Form, period)!;
        if (period.Type != form.PeriodType)
        {
            return Fail(RefusalKind.Invalid, SubmissionTexts.WrongPeriodType.Format(key.Period, form.Code, form.PeriodType), "period");
        }
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        if (hierarchy.Find(key.Unit) is not { } unit || !unit.IsActiveOn(period.End))
        {
            return Fail(RefusalKind.Invalid, SubmissionTexts.UnitNotActive.Format(key.Unit, key.Period), "unit");
        }
        if (!form.AppliesTo(unit.Kind))
        {
            return Fail(RefusalKind.Invalid, SubmissionTexts.NotApplicable.Format(form.Code, unit.Kind), "unit");
        }
        // The form as this kind of unit fills it: what it is not asked is refused, and never required of it.
        return new Context(catalog, form.For(unit.Kind), period, unit, null!, false);
    }

    private static Context Fail(RefusalKind kind, LocalizedText message, string? field) => new(null!, null!, null!, null!, null!, false)
    {
        Refusal = field is null ? Refusal.Of(kind, message) : Refusal.About(kind, field, message),
    };

    /// <summary>The write's context; <paramref name="commentOnly"/>: a follow-up's comment, which a locked period does not stop.</summary>
    private async Task<Context> ResolveAsync(SubmissionKey key, Actor actor, CancellationToken cancellationToken, bool commentOnly = false)
    {
        var context = await DescribeAsync(key, cancellationToken);
        if (context.Refusal is not null)
        {
            return context;
        }
        var (form, period) = (context.Form, context.Period);
        var schedule = form.Schedule.For(period);
        var today = VietnamTime.Today(time);
        if (!schedule.HasStartedOn(today))
        {
            return Fail(RefusalKind.Invalid, SubmissionTexts.NotStarted.Format(key.Period, schedule.DataStart), "period");
        }
        var locked = schedule.IsLockedOn(today) && !commentOnly;
        if (locked && !actor.IsAdmin)
        {
            return Fail(RefusalKind.Locked, SubmissionTexts.Locked.Format(key.Period, schedule.LockDate), null);
        }
        return context with { Schedule = schedule, Backfill = locked };
    }

    private async Task TellObserversAsync(SubmissionKey key, SubmissionAction action, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            try
            {
                await observer.CommittedAsync(key, action, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogObserverFailed(observer.GetType().Name, action, e.GetType().Name);
            }
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning,
        Message = "{Observer} was not told of a report {Action} ({Error}); its next sweep catches up")]
    private partial void LogObserverFailed(string observer, SubmissionAction action, string error);

    private static List<string> Changed(JsonObject? before, JsonObject after) =>
        [.. after.Select(a => a.Key).Union(before?.Select(b => b.Key) ?? [])
            .Where(code => !JsonNode.DeepEquals(before?[code], after[code]))
            .Order(StringComparer.Ordinal)];
}
