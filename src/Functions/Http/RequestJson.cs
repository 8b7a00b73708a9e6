using System.Text.Json;
using System.Text.Unicode;
using Qcdc.Functions.Problems;
using Qcdc.Localization;
using Qcdc.Problems;

namespace Qcdc.Functions.Http;

/// <summary>A request body read within its size limit: its exact bytes (the idempotency fingerprint) and its JSON.</summary>
public sealed record JsonBody(byte[] Bytes, JsonElement Root);

/// <summary>
/// Every JSON body is checked strictly before anything binds it: UTF-8 only, no lone surrogates, no key twice in
/// an object, well-formed, and within the route's size limit. A refusal names the place (line and byte, or a JSON
/// path) in the caller's language and never the parser's own words or the app's type names.
/// </summary>
public static class RequestJson
{
    public const int MaxDepth = 32;

    private static readonly object BodyKey = new();

    /// <summary>Reads, checks and keeps the body of JSON requests (after authorization: a caller without the right never gets this far).</summary>
    public static IApplicationBuilder UseStrictJsonBodies(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            // Only endpoints that read a JSON body check it; another's body is never read.
            if (!IsJson(context.Request) || context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is not { ContentTypes.Count: > 0 })
            {
                await next(context);
                return;
            }
            var (body, refusal) = await ReadAsync(context, context.RequestAborted);
            if (refusal is not null)
            {
                await ProblemResults.Of(refusal).ExecuteAsync(context);
                return;
            }
            context.Items[BodyKey] = body;
            // Bound parameters (form definitions, unit files) read the same checked bytes again.
            context.Request.Body = new MemoryStream(body!.Bytes, writable: false);
            await next(context);
        });
        return app;
    }

    /// <summary>The checked body of this request; an empty body reads as <c>{}</c>.</summary>
    public static JsonBody Body(this HttpContext context) =>
        context.Items[BodyKey] as JsonBody ?? new JsonBody([], JsonDocument.Parse("{}").RootElement.Clone());

    public static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || type.StartsWith("application/merge-patch+json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.Contains("+json", StringComparison.OrdinalIgnoreCase)));

    private static async Task<(JsonBody? Body, Refusal? Refusal)> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var limit = RequestLimits.BodyLimitOf(context);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, Refusal.Of(RefusalKind.TooLarge, CommonTexts.BodyOverLimit.Format(limit)));
            }
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.ToArray();
        if (Check(bytes) is { } problem)
        {
            return (null, Refusal.About(RefusalKind.BadRequest, "body", problem));
        }
        using var document = JsonDocument.Parse(bytes.Length == 0 ? "{}"u8.ToArray() : bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
        return (new JsonBody(bytes, document.RootElement.Clone()), null);
    }

    /// <summary>Why the bytes are not acceptable JSON, or null when they are.</summary>
    public static LocalizedText? Check(ReadOnlySpan<byte> bytes)
    {
        if (!Utf8.IsValid(bytes))
        {
            return ProblemTexts.NotUtf8;
        }
        if (bytes.IsEmpty)
        {
            return null;
        }
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        var names = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        names.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (!names.Peek().Add(name))
                        {
                            return ProblemTexts.DuplicateKey.Format(name, Where(ref reader));
                        }
                        break;
                    case JsonTokenType.String:
                        _ = reader.GetString();
                        break;
                    default:
                        break;
                }
            }
            return null;
        }
        catch (InvalidOperationException)
        {
            return ProblemTexts.BadUnicode.Format(Where(ref reader));
        }
        catch (JsonException e) when (e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            return ProblemTexts.TooDeep;
        }
        catch (JsonException e)
        {
            return ProblemTexts.MalformedJson.Format((e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1);
        }
    }

    private static string Where(ref Utf8JsonReader reader) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"byte {reader.TokenStartIndex + 1}");
}
