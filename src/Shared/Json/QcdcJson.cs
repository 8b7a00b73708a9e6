using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Qcdc.Forms;
using Qcdc.Jobs;
using Qcdc.Seeds;
using Qcdc.Units;

namespace Qcdc.Json;

/// <summary>
/// The JSON conventions of the API, the seed files and what is stored as JSON: camelCase, kebab-case enum values
/// (each enum carries <see cref="KebabCaseEnumConverter{TEnum}"/>), nulls left out, Vietnamese written as is.
/// Every type is source-generated, so nothing here needs reflection at run time (Native AOT).
/// </summary>
public static class QcdcJson
{
    /// <summary>The shared settings, applied to the API's options too.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.AllowTrailingCommas = true;
        options.ReadCommentHandling = JsonCommentHandling.Skip;
        options.NumberHandling = JsonNumberHandling.Strict;
        // A missing or null required field is a bad request, never a half-filled object.
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        return options;
    }

    /// <summary>The domain types with the shared settings.</summary>
    public static QcdcJsonContext Context { get; } = new(Configure(new JsonSerializerOptions()));

    public static JsonSerializerOptions Options => Context.Options;
}

/// <summary>An enum written in kebab case (<c>half-year</c>, <c>ratio-of-sums</c>); numbers are refused.</summary>
public sealed class KebabCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UnitFile))]
[JsonSerializable(typeof(FormFile))]
[JsonSerializable(typeof(DemoReportFile))]
[JsonSerializable(typeof(FormDefinition))]
[JsonSerializable(typeof(List<Successor>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, Qcdc.Forms.ValueBounds>>))]
[JsonSerializable(typeof(List<Qcdc.Submissions.FollowUp>))]
[JsonSerializable(typeof(List<Qcdc.Submissions.StoredCheck>))]
[JsonSerializable(typeof(JobScheduleStatus))]
[JsonSerializable(typeof(Qcdc.Rollups.SnapshotHeader))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class QcdcJsonContext : JsonSerializerContext;
