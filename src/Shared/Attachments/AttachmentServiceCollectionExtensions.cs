using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Qcdc.Jobs;

namespace Qcdc.Attachments;

public static class AttachmentServiceCollectionExtensions
{
    /// <summary>Attachment options, metadata store, URL signing, the service and the hourly cleanup job.</summary>
    public static IServiceCollection AddQcdcAttachments(this IServiceCollection services)
    {
        services.AddOptions<AttachmentOptions>()
            .BindConfiguration(AttachmentOptions.Section)
            .Validate(o => !o.Problems().Any(), "Attachments settings are out of range: see Attachments:MaxSizeBytes, MaxPerSubmission and the URL lifetimes.")
            .ValidateOnStart();
        services.TryAddSingleton<IUserDelegationKeySource, UserDelegationKeyCache>();
        services.AddSingleton<AttachmentStore>();
        services.AddSingleton<AttachmentBlobs>();
        services.AddSingleton<AttachmentService>();
        services.AddScheduledJob<AttachmentCleanupJob>(AttachmentCleanupJob.Name, AttachmentCleanupJob.ScheduleSetting, AttachmentCleanupJob.Schedule);
        return services;
    }
}
