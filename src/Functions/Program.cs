using Qcdc.Functions.Extensions;
using Qcdc.Functions.Hosting;

// The slim builder: console logging, JSON and environment configuration, HTTP only — what the app uses, and a faster
// cold start than the full builder's extra logging providers, HTTPS set-up and hosting-startup scan (ADR-009).
var builder = WebApplication.CreateSlimBuilder(args);
builder.UseCustomHandlerPort();
builder.AddApplicationServices();

var app = builder.Build();
app.MapApplicationEndpoints();

if (FunctionAppCommand.TryRun(app))
{
    return;
}
app.Run();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
