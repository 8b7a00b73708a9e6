using System.Text.Json;
using System.Text.Json.Serialization;
using Qcdc.Json;

namespace Qcdc.Submissions;

/// <summary>The JSON a report row keeps besides its values: follow-ups and checks.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<FollowUp>))]
[JsonSerializable(typeof(List<StoredCheck>))]
internal sealed partial class SubmissionsJsonContext : JsonSerializerContext
{
    /// <summary>The types with the shared conventions (<see cref="QcdcJson.Configure"/>).</summary>
    public static SubmissionsJsonContext Shared { get; } = new(QcdcJson.Configure(new JsonSerializerOptions()));
}
