using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qcdc.Functions.Forms;

/// <summary>The forms API's answers. Source-generated; the app's composition adds it to the API's JSON options.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FormsApi.FormList))]
[JsonSerializable(typeof(Qcdc.Forms.FormDefinition))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, Qcdc.Forms.ValueBounds>>))]
public sealed partial class FormsJsonContext : JsonSerializerContext;
