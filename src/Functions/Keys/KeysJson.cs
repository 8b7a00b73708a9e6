using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qcdc.Functions.Keys;

/// <summary>The keys and session APIs' bodies and answers. Source-generated; the app's composition adds it to the API's JSON options.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(KeysApi.IssueKeyRequest))]
[JsonSerializable(typeof(Qcdc.Security.IssuedKey))]
[JsonSerializable(typeof(KeysApi.KeyList))]
[JsonSerializable(typeof(SessionApi.SignInRequest))]
[JsonSerializable(typeof(SessionApi.Identity))]
public sealed partial class KeysJsonContext : JsonSerializerContext;
