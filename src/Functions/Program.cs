using Qcdc.Functions.Startup;

// Under the Azure Functions host (it passes --functions-uri): the .NET isolated worker. Started any other way —
// the README's first command, a provincial server — the same functions as a plain ASP.NET Core server with the
// in-process scheduler (ADR-010).
if (WorkerHosting.IsUnderFunctionsHost(args))
{
    WorkerHosting.Run(StartArguments.ReadSettingsOnce(args));
    return;
}

var builder = WebApplication.CreateSlimBuilder(StartArguments.ReadSettingsOnce(args));
builder.AddApplicationServices();
builder.AddStandaloneServer();

var app = builder.Build();
app.MapApplicationEndpoints();
app.Run();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
