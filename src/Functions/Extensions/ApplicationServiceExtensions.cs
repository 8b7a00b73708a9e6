using Qcdc.Functions.Health;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Problems;
using Qcdc.Jobs;
using Qcdc.Storage;
using Scalar.AspNetCore;

namespace Qcdc.Functions.Extensions;

/// <summary>All registration and mapping in one place, so that Program.cs reads as a table of contents.</summary>
public static class ApplicationServiceExtensions
{
    public const string OpenApiPath = "/api/openapi.json";

    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Azurite first: hosted services start in registration order, and storage must be up before tables are made.
        services.AddHostedService<DevelopmentStorage>();
        services.AddQcdcStorage();
        services.AddQcdcJobs();
        services.AddQcdcProblemDetails();
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "QCDC reporting API";
            document.Info.Description = "Periodic reports on implementing grassroots democracy (QCDC), their review and their rollups.";
            return Task.CompletedTask;
        }));
        if (builder.Environment.IsDevelopment())
        {
            services.AddHostedService<StartupBanner>();
        }
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseQcdcProblemDetails();

        app.MapRoot();
        app.MapTimerInvocations();
        app.MapHealthApi();

        app.MapOpenApi(OpenApiPath).WithName("GetOpenApiDocument");
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference("/api/reference", options => options
                .WithTitle("QCDC reporting API")
                .WithOpenApiRoutePattern(OpenApiPath));
        }
        return app;
    }
}
