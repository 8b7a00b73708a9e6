using System.Text.Json;
using System.Text.Json.Serialization;
using Qcdc.Json;

namespace Qcdc.Jobs;

/// <summary>The JSON of a job's schedule status blob.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(JobScheduleStatus))]
internal sealed partial class JobsJsonContext : JsonSerializerContext
{
    /// <summary>The types with the shared conventions (<see cref="QcdcJson.Configure"/>).</summary>
    public static JobsJsonContext Shared { get; } = new(QcdcJson.Configure(new JsonSerializerOptions()));
}
