using System.Reflection;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Qcdc.FakeHost;

/// <summary>
/// The worker protocol's messages, taken from the worker's own Grpc assembly: its generated types are internal, but
/// their descriptor is not hidden from reflection, and Google.Protobuf parses and writes any message by descriptor.
/// So the fake host writes and reads <c>StreamingMessage</c>s as proto3 JSON, always of the worker version the app
/// references, with no copied .proto file and no generated code.
/// </summary>
public static class RpcMessages
{
    private static readonly Lazy<MessageDescriptor> Streaming = new(() =>
    {
        var assembly = Assembly.Load("Microsoft.Azure.Functions.Worker.Grpc");
        var reflection = assembly.GetType("Microsoft.Azure.Functions.Worker.Grpc.Messages.FunctionRpcReflection", throwOnError: true)!;
        var file = (FileDescriptor)reflection.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        return file.MessageTypes.Single(m => m.Name == "StreamingMessage");
    });

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    /// <summary>A <c>StreamingMessage</c> from its JSON form, as bytes for the wire.</summary>
    public static byte[] Encode(JsonObject message) =>
        JsonParser.Default.Parse(message.ToJsonString(), Streaming.Value).ToByteArray();

    /// <summary>A <c>StreamingMessage</c> from the wire, in its JSON form.</summary>
    public static JsonObject Decode(byte[] bytes) =>
        JsonNode.Parse(Formatter.Format(Streaming.Value.Parser.ParseFrom(bytes)))!.AsObject();

    /// <summary>The oneof case of a message (its one property besides <c>requestId</c>), e.g. <c>invocationResponse</c>.</summary>
    public static string Kind(JsonObject message) => message.Select(p => p.Key).FirstOrDefault(k => k != "requestId") ?? "";
}
