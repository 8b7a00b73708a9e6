using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Functions.Problems;
using Qcdc.Localization;
using Qcdc.Problems;
using Qcdc.Security;
using Qcdc.Units;

namespace Qcdc.Functions.Keys;

public static class KeysApi
{
    /// <param name="Name">The person who holds the key (a commune clerk's name), recorded with every change they make.</param>
    public sealed record IssueKeyRequest(string Unit, string Role, string? Label = null, string? Name = null, DateTimeOffset? ExpiresAt = null);

    public sealed record KeyList(IReadOnlyList<ApiKeyInfo> Keys);

    internal static async Task<Results<Created<IssuedKey>, ProblemHttpResult>> IssueKey(
        IssueKeyRequest request, ApiKeyStore keys, UnitStore units, TimeProvider time, CancellationToken cancellationToken)
    {
        if (KeyParts.Check("unit", KeyPart.Unit, request.Unit) is { } malformed)
        {
            return ProblemResults.About(RefusalKind.BadRequest, malformed.Field, malformed.Message);
        }
        var errors = new List<FieldProblem>();
        if ((await units.GetHierarchyAsync(cancellationToken)).Find(request.Unit) is null)
        {
            errors.Add(new("unit", CommonTexts.UnknownUnit.Format(request.Unit)));
        }
        if (!Roles.All.Contains(request.Role))
        {
            errors.Add(new("role", SecurityTexts.UnknownRole.Format(request.Role)));
        }
        if (request.ExpiresAt is { } expiry && expiry <= time.GetUtcNow())
        {
            errors.Add(new("expiresAt", SecurityTexts.PastExpiry));
        }
        foreach (var (field, value) in new[] { ("label", request.Label), ("name", request.Name) })
        {
            if (value is { Length: > 200 })
            {
                errors.Add(new(field, SecurityTexts.LongLabel.Format(field)));
            }
        }
        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors, SecurityTexts.InvalidKeyRequest.Format(errors.Count));
        }
        var issued = await keys.IssueAsync(request.Unit, request.Role, Clean(request.Label), Clean(request.Name), request.ExpiresAt, cancellationToken);
        return TypedResults.Created($"/api/manage/keys/{issued.Info.Id}", issued);
    }

    internal static async Task<Ok<KeyList>> ListKeys(string? unit, ApiKeyStore keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(new KeyList(await keys.ListAsync(unit, cancellationToken)));

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(string id, ApiKeyStore keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(id, cancellationToken) ? TypedResults.NoContent() : ProblemResults.NotFound(SecurityTexts.UnknownKey.Format(id));

    // A label or name is one line: no control characters (line breaks included), no direction overrides.
    private static string? Clean(string? text) => text is null ? null
        : Qcdc.Localization.UserText.WithoutBidiControls(new string([.. Qcdc.Submissions.SubmissionValues.CleanText(text).Where(c => !char.IsControl(c))])).Trim();
}
