using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Localization;

namespace Qcdc.Functions.Problems;

/// <summary>A request body read within a size limit: its bytes (for the idempotency fingerprint) and its JSON.</summary>
public sealed record JsonBody(byte[] Bytes, JsonElement Root)
{
    private static readonly LocalizedText NotJson = new("The request body is not valid JSON: {0}", "Nội dung yêu cầu không phải JSON hợp lệ: {0}");

    /// <summary>Reads at most <paramref name="limit"/> bytes: a larger body is 413, unreadable JSON 400.</summary>
    public static async Task<(JsonBody? Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (null, TypedResults.Problem(detail: CommonTexts.BodyOverLimit.Format(limit).Current, statusCode: StatusCodes.Status413PayloadTooLarge));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, TypedResults.Problem(detail: CommonTexts.BodyOverLimit.Format(limit).Current, statusCode: StatusCodes.Status413PayloadTooLarge));
            }
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.ToArray();
        try
        {
            using var document = JsonDocument.Parse(bytes.Length == 0 ? "{}"u8.ToArray() : bytes);
            return (new JsonBody(bytes, document.RootElement.Clone()), null);
        }
        catch (JsonException e)
        {
            return (null, TypedResults.Problem(detail: NotJson.Format(e.Message).Current, statusCode: StatusCodes.Status400BadRequest));
        }
    }
}
