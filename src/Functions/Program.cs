using Qcdc.Functions.Extensions;
using Qcdc.Functions.Hosting;

var builder = WebApplication.CreateBuilder(args);
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
