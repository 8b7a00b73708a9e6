#if QCDC_DEVELOPMENT
using Qcdc.Development;
#endif
using Qcdc.Attachments;
using Qcdc.Exports;
using Qcdc.Forms;
using Qcdc.Imports;
using Qcdc.Functions.Attachments;
using Qcdc.Functions.Exports;
using Qcdc.Functions.Forms;
using Qcdc.Functions.Health;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Imports;
using Qcdc.Functions.Http;
using Qcdc.Functions.Notifications;
using Qcdc.Functions.OpenApi;
using Qcdc.Functions.Pages;
using Qcdc.Functions.Periods;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Rollups;
using Qcdc.Functions.Security;
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
using Qcdc.Functions.Keys;

namespace Qcdc.Functions.Startup;

/// <summary>All registration and mapping in one place, so that Program.cs reads as a table of contents.</summary>
public static class ApplicationServiceExtensions
{
    public const string OpenApiPath = "/api/openapi.json";

    /// <summary>Everything both modes share: storage, jobs, security, the features' services, problem details, OpenAPI.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
#if QCDC_DEVELOPMENT
        // Development storage first: it may start Azurite and set the connection string before any client exists.
        builder.AddDevelopmentHosting();
#endif
        var services = builder.Services;
        services.AddQcdcStorage();
        services.AddQcdcJobs();
        services.AddQcdcProblemDetails();
        services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options,
        [
            ProblemsJsonContext.Default, AttachmentsJsonContext.Default, HealthJsonContext.Default, FormsJsonContext.Default,
            PeriodsJsonContext.Default, UnitsJsonContext.Default, KeysJsonContext.Default, SubmissionsJsonContext.Default,
            RollupsJsonContext.Default, ImportsJsonContext.Default, NotificationsJsonContext.Default,
        ]));

        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section)
            .Validate(o => o.KeyHashSecret is { Length: >= 32 }, "Security:KeyHashSecret must be set (at least 32 characters).")
            .ValidateOnStart();
        services.AddSingleton<ApiKeyStore>();
        services.AddOptions<BrowserSessionOptions>().BindConfiguration(BrowserSessionOptions.Section);
        services.AddSingleton<SessionStore>();
        services.AddScheduledJob<SessionCleanupJob>(SessionCleanupJob.Name, SessionCleanupJob.ScheduleSetting, SessionCleanupJob.Schedule);
        services.AddQcdcAuthentication();
        services.AddQcdcAuthorization();
        services.AddRequestLimits();
        services.AddRateLimits();
        services.AddSingleton<UnitStore>();
        services.AddSingleton<FormStore>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<IChangeMarks>(sp => sp.GetRequiredService<SubmissionStore>());
        services.AddSingleton<INoticeOutbox>(sp => sp.GetRequiredService<SubmissionStore>());
        services.AddSingleton<SubmissionService>();
        services.AddSingleton<ReportChecks>();
        services.AddSingleton<IReportHistory, SnapshotReportHistory>();
        services.AddOptions<CheckOptions>().BindConfiguration(CheckOptions.Section);
        services.AddSingleton<SubmissionList>();
        services.AddSingleton<RollupSnapshotStore>();
        services.AddSingleton<RollupService>();
        services.AddSingleton<ReconciliationService>();
        services.AddSingleton<ReportImportService>();
        services.AddOptions<ReportOptions>().BindConfiguration(ReportOptions.Section);
        services.AddSingleton<ExportSource>();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section);
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<NotificationService>();
        services.AddSingleton<ISubmissionObserver>(sp => sp.GetRequiredService<NotificationService>());
        // After the notice is recorded, in this order: a return is delivered at once.
        services.AddSingleton<ISubmissionObserver, ReturnDelivery>();
        // The client's own request logs would name the webhook URL (it may carry a token): they are off.
        services.AddHttpClient<NoticeSender>().RemoveAllLoggers();
        services.AddScheduledJob<NotificationDispatchJob>(NotificationDispatchJob.Name, NotificationDispatchJob.ScheduleSetting, NotificationDispatchJob.Schedule);
        services.AddScheduledJob<DeadlineRemindersJob>(DeadlineRemindersJob.Name, DeadlineRemindersJob.ScheduleSetting, DeadlineRemindersJob.Schedule);
        services.AddScheduledJob<NoticeDeliveryJob>(NoticeDeliveryJob.Name, NoticeDeliveryJob.ScheduleSetting, NoticeDeliveryJob.Schedule);
        services.AddSingleton<ReportWorkbooks>();
        services.AddQcdcAttachments();
        services.AddOptions<RollupOptions>().BindConfiguration(RollupOptions.Section);
        services.AddScheduledJob<QuarterlyRollupJob>(QuarterlyRollupJob.Name, QuarterlyRollupJob.ScheduleSetting, QuarterlyRollupJob.Schedule);
        services.AddScheduledJob<PeriodRollupJob>(PeriodRollupJob.Name, PeriodRollupJob.ScheduleSetting, PeriodRollupJob.Schedule);
        services.AddSingleton(sp =>
        {
            var windows = sp.GetRequiredService<IConfiguration>().GetSection("Periods:Windows").Get<List<NamedWindow>>();
            return new PeriodCatalog(windows is { Count: > 0 } ? windows : PeriodCatalog.DefaultWindows);
        });

#if QCDC_DEVELOPMENT
        services.AddDemoData();
#endif
        services.AddOpenApi(ApiDescription.Configure);
        return builder;
    }

    /// <summary>The standalone server's own parts: the pages' built files, and the developer's start banner.</summary>
    public static WebApplicationBuilder AddStandaloneServer(this WebApplicationBuilder builder)
    {
        // The pages' files as the build laid them out (compressed copies under obj/) in every environment a build runs
        // in — tests and benchmarks too, not only Development; a published app has them in wwwroot and no manifest.
        builder.WebHost.UseStaticWebAssets();
        // Without this, a build's static assets add a catch-all that answers 405 to every unknown POST instead of 404.
        builder.Configuration["DisableStaticAssetNotFoundRuntimeFallback"] = "true";
#if QCDC_DEVELOPMENT
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddStartBanner();
        }
#endif
        return builder;
    }

    /// <summary>
    /// The cross-cutting pipeline, the same in both modes: security headers, problem details, then the step that finds
    /// the operation (routing standalone; the worker has routed already), the check of every code in its route and query, the request's storage budget, storage
    /// readiness, authentication, rate limits, authorization with anti-forgery, body limits and strict JSON.
    /// </summary>
    public static IApplicationBuilder UseApplicationPipeline(this IApplicationBuilder app, Action<IApplicationBuilder> route)
    {
        app.UseSecurityHeaders();
        app.UseQcdcProblemDetails();
        route(app);
        app.UseKeyPartChecks();
        app.UseRequestBudget();
        app.UseStorageReady();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseRequestLimits();
        app.UseStrictJsonBodies();
        return app;
    }

    /// <summary>
    /// The standalone server: the pipeline, every HTTP function as an endpoint (the pages' files through the <c>Pages</c>
    /// function, as under the Functions host), the API reference in development.
    /// </summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseApplicationPipeline(route: pipeline => pipeline.UseRouting());
        app.MapFunctions();
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
