using System.Text.RegularExpressions;

namespace Qcdc.Storage;

/// <summary>
/// The one place that names the tables and blob containers. Every name carries the configured prefix, so that
/// several apps or test runs can share one storage account.
/// </summary>
public sealed partial class StorageNames(string prefix)
{
    /// <summary>Leases and schedule status of timer jobs.</summary>
    public const string JobsContainer = "jobs";

    /// <summary>Report attachments: one blob per attachment, named by report and generated id.</summary>
    public const string AttachmentsContainer = "attachments";

    /// <summary>Rollups: one compressed snapshot blob per (form, period), <c>{form}/{period}.snap</c>.</summary>
    public const string RollupsContainer = "rollups";

    /// <summary>Reporting units and their validity (one partition).</summary>
    public const string UnitsTable = "Units";

    /// <summary>Form versions: partition per form code, row per version.</summary>
    public const string FormsTable = "Forms";

    /// <summary>API keys: id, unit, role and the keyed hash of the secret.</summary>
    public const string ApiKeysTable = "ApiKeys";

    /// <summary>Submissions: one partition per (form, period) holding current states, revisions and idempotency records.</summary>
    public const string SubmissionsTable = "Submissions";


    /// <summary>Attachment metadata: one partition per report, one row per attachment.</summary>
    public const string AttachmentsTable = "Attachments";

    /// <summary>Browser sessions: the hash of the cookie's token, the key id it acts for, its expiry.</summary>
    public const string SessionsTable = "Sessions";

    /// <summary>Units' contacts and the outbox of notices.</summary>
    public const string NotificationsTable = "Notifications";

    /// <summary>Every table the app uses; created at start.</summary>
    public static IReadOnlyList<string> AllTables { get; } = [UnitsTable, FormsTable, ApiKeysTable, SubmissionsTable, AttachmentsTable, SessionsTable, NotificationsTable];

    /// <summary>Every blob container the app uses; created at start.</summary>
    public static IReadOnlyList<string> AllContainers { get; } = [JobsContainer, AttachmentsContainer, RollupsContainer];

    public string Prefix { get; } = IsValidPrefix(prefix)
        ? prefix
        : throw new ArgumentException("A storage prefix starts with a letter and holds only letters and digits.", nameof(prefix));

    public string Table(string name) => Prefix + name;

    public string Container(string name) => (Prefix + name).ToLowerInvariant();

    public static bool IsValidPrefix(string prefix) => prefix.Length == 0 || PrefixPattern().IsMatch(prefix);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,19}\\z")]
    private static partial Regex PrefixPattern();
}
