namespace Qcdc.Jobs;

/// <summary>Bound from the <c>Jobs</c> configuration section.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Run jobs on their schedules inside this process. Off under the Azure Functions host, which triggers them.
    /// </summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>How long a job's blob lease lasts before it must be renewed (15–60 s).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long one run may take, storage calls included, before it is cancelled (its lease given up, its previous
    /// results standing): shorter than the Functions host's <c>functionTimeout</c> of 30 minutes.
    /// </summary>
    public TimeSpan Budget { get; set; } = TimeSpan.FromMinutes(25);
}
