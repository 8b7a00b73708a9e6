using System.Text.Json;
using System.Text.Json.Nodes;

namespace Qcdc.Functions.Hosting;

/// <summary>
/// Writes the deployable function-app folder: <c>host.json</c> and one folder per function with its
/// <c>function.json</c>, beside the published executable.
/// </summary>
public static class FunctionAppWriter
{
    /// <summary>The binding name of the timer trigger; the Functions host sends the timer under <c>Data.timer</c>.</summary>
    public const string TimerBindingName = "timer";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string outputDirectory, FunctionAppMetadata metadata, string hostJsonPath)
    {
        Directory.CreateDirectory(outputDirectory);
        var target = Path.GetFullPath(Path.Combine(outputDirectory, "host.json"));
        if (!string.Equals(Path.GetFullPath(hostJsonPath), target, StringComparison.Ordinal))
        {
            File.Copy(hostJsonPath, target, overwrite: true); // publishing into the executable's own folder already has it
        }
        foreach (var function in metadata.HttpFunctions)
        {
            WriteFunction(outputDirectory, function.Name, HttpFunctionJson(function));
        }
        foreach (var function in metadata.TimerFunctions)
        {
            WriteFunction(outputDirectory, function.Name, TimerFunctionJson(function));
        }
    }

    public static JsonObject HttpFunctionJson(HttpFunction function) => new()
    {
        ["bindings"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "httpTrigger",
                ["direction"] = "in",
                ["name"] = "req",
                ["authLevel"] = function.AuthLevel,
                ["methods"] = new JsonArray([.. function.Methods.Select(m => JsonValue.Create(m))]),
                ["route"] = function.Route,
            },
            new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" }),
    };

    public static JsonObject TimerFunctionJson(TimerFunction function) => new()
    {
        ["bindings"] = new JsonArray(new JsonObject
        {
            ["type"] = "timerTrigger",
            ["direction"] = "in",
            ["name"] = TimerBindingName,
            ["schedule"] = function.Schedule,
            ["runOnStartup"] = false,
            ["useMonitor"] = true,
        }),
    };

    private static void WriteFunction(string outputDirectory, string name, JsonObject functionJson)
    {
        var folder = Path.Combine(outputDirectory, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "function.json"), functionJson.ToJsonString(Indented) + "\n");
    }
}
