using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Functions.Problems;
using Qcdc.Localization;
using Qcdc.Security;
using Qcdc.Units;

namespace Qcdc.Functions.Security;

public static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder routes)
    {
        var keys = routes.MapGroup("/api/admin/keys").WithTags("Administration");
        keys.MapPost("", IssueKey).WithName("IssueKey").WithSummary("Issue an API key for a unit and role; the key is shown once").RequireAccess(AccessRule.Admin);
        keys.MapGet("", ListKeys).WithName("ListKeys").WithSummary("List keys (never their secrets), optionally of one unit").RequireAccess(AccessRule.Admin);
        keys.MapDelete("/{id}", RevokeKey).WithName("RevokeKey").WithSummary("Revoke a key at once").RequireAccess(AccessRule.Admin);
        return routes;
    }

    public sealed record IssueKeyRequest(string Unit, string Role, string? Label = null, DateTimeOffset? ExpiresAt = null);

    public sealed record KeyList(IReadOnlyList<ApiKeyInfo> Keys);

    internal static async Task<Results<Created<IssuedKey>, ProblemHttpResult>> IssueKey(
        IssueKeyRequest request, ApiKeyStore keys, UnitStore units, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if ((await units.GetHierarchyAsync(cancellationToken)).Find(request.Unit) is null)
        {
            errors.Add(new("unit", CommonTexts.UnknownUnit.Format(request.Unit).Current));
        }
        if (!Roles.All.Contains(request.Role))
        {
            errors.Add(new("role", UnknownRole.Format(request.Role).Current));
        }
        if (request.ExpiresAt is { } expiry && expiry <= time.GetUtcNow())
        {
            errors.Add(new("expiresAt", PastExpiry.Current));
        }
        if (request.Label is { Length: > 200 })
        {
            errors.Add(new("label", LongLabel.Current));
        }
        if (errors.Count > 0)
        {
            return ValidationProblems.Unprocessable(errors);
        }
        var issued = await keys.IssueAsync(request.Unit, request.Role, request.Label, request.ExpiresAt, cancellationToken);
        return TypedResults.Created($"/api/admin/keys/{issued.Info.Id}", issued);
    }

    internal static async Task<Ok<KeyList>> ListKeys(string? unit, ApiKeyStore keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(new KeyList(await keys.ListAsync(unit, cancellationToken)));

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(string id, ApiKeyStore keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(id, cancellationToken) ? TypedResults.NoContent() : ValidationProblems.NotFound(UnknownKey.Format(id));

    private static readonly LocalizedText UnknownRole = new("Unknown role '{0}' (reporter, reviewer or admin).", "Vai trò '{0}' không tồn tại (reporter, reviewer hoặc admin).");
    private static readonly LocalizedText PastExpiry = new("expiresAt is in the past.", "Thời hạn đã qua.");
    private static readonly LocalizedText LongLabel = new("The label is longer than 200 characters.", "Nhãn dài quá 200 ký tự.");
    private static readonly LocalizedText UnknownKey = new("There is no key {0}.", "Không có khóa {0}.");
}
