namespace Qcdc.Submissions;

/// <summary>
/// Told after a report's state change is committed (submitted, approved, returned). Best effort: the change itself
/// already carries what an observer needs (the notice event row), so a failing observer fails nothing and the next
/// sweep of its job catches up.
/// </summary>
public interface ISubmissionObserver
{
    Task CommittedAsync(SubmissionKey key, SubmissionAction action, CancellationToken cancellationToken);
}
