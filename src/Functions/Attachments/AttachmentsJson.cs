using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qcdc.Functions.Attachments;

/// <summary>The attachments API's bodies and answers. Source-generated; the app's composition adds it to the API's JSON options.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AttachmentView))]
[JsonSerializable(typeof(Qcdc.Attachments.AttachmentDeclaration))]
public sealed partial class AttachmentsJsonContext : JsonSerializerContext;
