using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Qcdc.Json;

/// <summary>
/// The JSON conventions of the API, the seed files and what is stored as JSON: camelCase, kebab-case enum values
/// (each enum carries <see cref="KebabCaseEnumConverter{TEnum}"/>), nulls left out, Vietnamese written as is.
/// Each feature source-generates the metadata of the types it owns in a context of its own (for example
/// <c>FormsJsonContext</c>) with these settings; this folder knows no feature, so every feature may use it.
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

/// <summary>The types of no feature: JSON trees and lists of strings.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class QcdcJsonContext : JsonSerializerContext;
