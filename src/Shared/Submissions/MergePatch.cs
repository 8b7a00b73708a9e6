using System.Text.Json;
using System.Text.Json.Nodes;

namespace Qcdc.Submissions;

/// <summary>JSON Merge Patch (RFC 7396): members of the patch replace the target's, <c>null</c> removes one, objects merge.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return JsonNode.Parse(patch.GetRawText());
        }
        var result = target is JsonObject existing ? existing.DeepClone().AsObject() : [];
        foreach (var member in patch.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Null)
            {
                result.Remove(member.Name);
            }
            else
            {
                var merged = Apply(result[member.Name], member.Value);
                result[member.Name] = merged;
            }
        }
        return result;
    }
}
