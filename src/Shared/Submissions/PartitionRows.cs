namespace Qcdc.Submissions;

// Two kinds of row another feature keeps in a report's partition of the submissions table. They live there for one
// reason: a write commits the report's state, its revision, the change mark and the outbox row in one entity-group
// transaction (one partition), so that a change is never counted without being marked for the rollups, nor told
// without having happened. The submission store writes them in that transaction and implements these two ports;
// the rollups and the notices see only the port they need. (The ports live here, not with their consumers, because
// the consumers come after Submissions in the folder order and the store implements them.)

/// <summary>The rollups' change mark of a (form, period): row <c>M|changed</c>, a new stamp at every committed change.</summary>
public interface IChangeMarks
{
    /// <summary>The last change's stamp and time, or null when the partition never changed.</summary>
    Task<(string Stamp, DateTimeOffset ChangedAt)?> LastChangeAsync(string form, string period, CancellationToken cancellationToken);

    /// <summary>The stamp, read again when the one this instance last saw is older than <paramref name="maxAge"/>.</summary>
    Task<string?> ChangeStampAsync(string form, string period, TimeSpan maxAge, CancellationToken cancellationToken);
}

/// <summary>The notices' outbox of a (form, period): rows <c>N|{unit}|{revision}</c>, one per state change people are told about.</summary>
public interface INoticeOutbox
{
    /// <summary>The state changes not yet turned into notices, oldest revision first per unit.</summary>
    Task<IReadOnlyList<NoticeEvent>> NoticeEventsAsync(string form, string period, CancellationToken cancellationToken);

    /// <summary>Forgets a state change once its notice is recorded.</summary>
    Task DeleteNoticeEventAsync(NoticeEvent notice, CancellationToken cancellationToken);
}
