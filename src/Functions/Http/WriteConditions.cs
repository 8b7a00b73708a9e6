using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Problems;
using Qcdc.Submissions;

namespace Qcdc.Functions.Http;

/// <summary>
/// The conditions a write carries: <c>If-Match</c>, and an <c>Idempotency-Key</c> bound to the request it first came
/// with (method, path and exact body). Shared by every feature that writes.
/// </summary>
public static class WriteConditions
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>The write's conditions, or 400 when the Idempotency-Key is not 1–255 printable ASCII characters (or sent twice).</summary>
    public static (WriteRequest? Request, ProblemHttpResult? Problem) Read(HttpContext http, byte[] body)
    {
        var keys = http.Request.Headers[IdempotencyKeyHeader];
        string? key = null;
        if (keys.Count > 1 || (keys.Count == 1 && !IsValidKey(keys[0])))
        {
            return (null, ProblemResults.About(RefusalKind.BadRequest, IdempotencyKeyHeader, ProblemTexts.IdempotencyKeyFormat));
        }
        if (keys.Count == 1)
        {
            key = keys[0];
        }
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        return (new WriteRequest(http.Caller(), string.IsNullOrWhiteSpace(ifMatch) ? null : ifMatch, key, Fingerprint(http, body)), null);
    }

    /// <summary>The key's hash and the fingerprint it is bound to, for stores that keep idempotency records.</summary>
    public static (string KeyHash, string RequestHash)? Idempotency(WriteRequest request) =>
        request.IdempotencyKey is { } key ? (Qcdc.Storage.Digest.Of(key), request.Fingerprint) : null;

    /// <summary>Marks a replayed answer, as clients retrying with an Idempotency-Key expect.</summary>
    public static void MarkReplayed(HttpContext http) => http.Response.Headers[ReplayedHeader] = "true";

    private static bool IsValidKey(string? key) =>
        key is { Length: > 0 and <= MaxIdempotencyKeyLength } && key.All(c => c is >= ' ' and <= '~') && key.Trim().Length > 0;

    private static string Fingerprint(HttpContext http, byte[] body) =>
        Qcdc.Storage.Digest.Of($"{http.Request.Method} {http.Request.Path}\n{Convert.ToBase64String(body)}");
}
