namespace Qcdc.Security;

public static class Roles
{
    /// <summary>Writes its own unit's submissions and attachments.</summary>
    public const string Reporter = "reporter";

    /// <summary>Reads its unit's subtree, approves and returns, reads rollups.</summary>
    public const string Reviewer = "reviewer";

    /// <summary>Everything, including back-filling locked periods.</summary>
    public const string Admin = "admin";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Reporter, Reviewer, Admin };
}

/// <summary>
/// Who is calling: the key's id, its role, the unit it is bound to (none for the bootstrap admin), and the label and
/// person's name given to the key when it was issued (recorded in a report's history).
/// </summary>
public sealed record Actor(string KeyId, string Role, string? Unit, string? Label = null, string? Name = null)
{
    public bool IsAdmin => Role == Roles.Admin;

    public const string BootstrapId = "bootstrap";
}
