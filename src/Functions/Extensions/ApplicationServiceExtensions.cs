using Qcdc.Attachments;
using Qcdc.Exports;
using Qcdc.Forms;
using Qcdc.Functions.Attachments;
using Qcdc.Functions.DevStorage;
using Qcdc.Functions.Exports;
using Qcdc.Functions.Forms;
using Qcdc.Functions.Health;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Http;
using Qcdc.Functions.Notifications;
using Qcdc.Functions.OpenApi;
using Qcdc.Functions.Pages;
using Qcdc.Functions.Periods;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Rollups;
using Qcdc.Functions.Security;
using Qcdc.Functions.Seeds;
using Qcdc.Functions.Submissions;
using Qcdc.Functions.Units;
using Qcdc.Jobs;
using Qcdc.Json;
using Qcdc.Notifications;
using Qcdc.Periods;
using Qcdc.Rollups;
using Qcdc.Security;
using Qcdc.Storage;
using Qcdc.Submissions;
using Qcdc.Units;
using Scalar.AspNetCore;

namespace Qcdc.Functions.Extensions;

/// <summary>All registration and mapping in one place, so that Program.cs reads as a table of contents.</summary>
public static class ApplicationServiceExtensions
{
    public const string OpenApiPath = "/api/openapi.json";

    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        // Development storage first: it may start Azurite and set the connection string before any client exists.
        builder.AddDevelopmentStorage();
        var services = builder.Services;
        // The pages' files as the build laid them out (compressed copies under obj/) in every environment a build runs
        // in — tests and benchmarks too, not only Development; a published app has them in wwwroot and no manifest.
        builder.WebHost.UseStaticWebAssets();
        // Without this, a build's static assets add a catch-all that answers 405 to every unknown POST instead of 404.
        builder.Configuration["DisableStaticAssetNotFoundRuntimeFallback"] = "true";
        services.AddQcdcStorage();
        services.AddQcdcJobs();
        services.AddQcdcProblemDetails();
        services.ConfigureHttpJsonOptions(ApiJson.Configure);

        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section)
            .Validate(o => o.KeyHashSecret is { Length: >= 32 }, "Security:KeyHashSecret must be set (at least 32 characters).")
            .ValidateOnStart();
        services.AddSingleton<ApiKeyStore>();
        services.AddOptions<BrowserSessionOptions>().BindConfiguration(BrowserSessionOptions.Section);
        services.AddSingleton<SessionStore>();
        services.AddScheduledJob<SessionCleanupJob>(SessionCleanupJob.Name, SessionCleanupJob.Schedule);
        services.AddQcdcAuthentication();
        services.AddQcdcAuthorization();
        services.AddRequestLimits();
        services.AddSingleton<UnitStore>();
        services.AddSingleton<FormStore>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<SubmissionService>();
        services.AddSingleton<SubmissionList>();
        services.AddSingleton<RollupSnapshotStore>();
        services.AddSingleton<RollupService>();
        services.AddSingleton<ExportSource>();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section);
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<NotificationService>();
        services.AddSingleton<ISubmissionObserver>(sp => sp.GetRequiredService<NotificationService>());
        // The client's own request logs would name the webhook URL (it may carry a token): they are off.
        services.AddHttpClient<NoticeSender>().RemoveAllLoggers();
        services.AddScheduledJob<NotificationDispatchJob>(NotificationDispatchJob.Name, NotificationDispatchJob.Schedule);
        services.AddScheduledJob<DeadlineRemindersJob>(DeadlineRemindersJob.Name, DeadlineRemindersJob.Schedule);
        services.AddScheduledJob<NoticeDeliveryJob>(NoticeDeliveryJob.Name, NoticeDeliveryJob.Schedule);
        services.AddSingleton<ReportWorkbooks>();
        services.AddQcdcAttachments();
        services.AddOptions<RollupOptions>().BindConfiguration(RollupOptions.Section);
        services.AddScheduledJob<QuarterlyRollupJob>(QuarterlyRollupJob.Name, QuarterlyRollupJob.Schedule);
        services.AddScheduledJob<PeriodRollupJob>(PeriodRollupJob.Name, PeriodRollupJob.Schedule);
        services.AddSingleton(sp =>
        {
            var windows = sp.GetRequiredService<IConfiguration>().GetSection("Periods:Windows").Get<List<NamedWindow>>();
            return new PeriodCatalog(windows is { Count: > 0 } ? windows : PeriodCatalog.DefaultWindows);
        });

        services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.Section);
        services.AddSingleton<DemoReportSeeder>();
        services.AddHostedService<DemoSeeder>();
        services.AddOpenApi(ApiDescription.Configure);
        if (builder.Environment.IsDevelopment())
        {
            services.AddHostedService<StartupBanner>();
            services.AddSingleton<IStartupAnnouncement, DemoKeysAnnouncement>();
        }
        services.AddClosedGenerics();
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseQcdcProblemDetails();
        app.UseRequestBudget();
        app.UseStorageReady();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseRequestLimits();
        app.UseStrictJsonBodies();

        app.MapPages();
        app.MapTimerInvocations();
        app.MapHealthApi();
        app.MapFormsApi();
        app.MapPeriodsApi();
        app.MapUnitsApi();
        app.MapKeysApi();
        app.MapSessionApi();
        app.MapSubmissionsApi();
        app.MapAttachmentsApi();
        app.MapRollupsApi();
        app.MapReportWorkbookApi();
        app.MapExportsApi();
        app.MapNotificationsApi();

        app.MapOpenApi(OpenApiPath).WithName("GetOpenApiDocument").RequireAccess(AccessRule.Anonymous);
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference("/api/reference", options => options
                .WithTitle("QCDC reporting API")
                .WithOpenApiRoutePattern(OpenApiPath))
                .RequireAccess(AccessRule.Anonymous);
        }
        return app;
    }
}
