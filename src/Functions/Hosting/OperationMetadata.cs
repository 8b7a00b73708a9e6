namespace Qcdc.Functions.Hosting;

// What the operation attributes put on an endpoint for the pipeline and the API description to read. They live with
// the attributes, below every folder that reads them, so that a function's declaration depends on nothing else.

/// <summary>What a route allows, declared once on its function (<see cref="AccessAttribute"/>) and enforced by Security.</summary>
public enum AccessRule
{
    /// <summary>Anyone.</summary>
    Anonymous,
    /// <summary>Anyone signed in or holding a valid key (their own session, who they are).</summary>
    Authenticated,
    /// <summary>Administrators only.</summary>
    Admin,
    /// <summary>The unit's reporter, a reviewer of the unit or an ancestor, an administrator.</summary>
    ReadUnit,
    /// <summary>The unit's own reporter, or an administrator.</summary>
    WriteUnit,
    /// <summary>A reviewer of the unit or an ancestor, or an administrator.</summary>
    ReviewUnit,
    /// <summary>Any reviewer or an administrator; the operation checks each unit it touches against the reviewer's subtree.</summary>
    Reviewer,
}

public sealed record AccessMetadata(AccessRule Rule);

/// <summary>The route reads its body itself (no <c>Accepts</c>, so that access is checked first): what it takes, for the document.</summary>
public sealed record RawBodyMetadata(IReadOnlyList<string> ContentTypes, string Description);

/// <summary>The route takes an Idempotency-Key, and If-Match when <paramref name="IfMatch"/>.</summary>
public sealed record WriteConditionsMetadata(bool IfMatch);

/// <summary>A route's own budget; null: the route runs under a job's budget instead.</summary>
public sealed record RequestBudgetMetadata(TimeSpan? Budget);
