using System.Security.Cryptography;
using System.Text;
using Qcdc.Localization;

namespace Qcdc.Functions.Admin;

/// <summary>
/// Administration routes demand the bootstrap admin key (<c>QCDC_BOOTSTRAP_ADMIN_KEY</c>), sent as
/// <c>Authorization: ApiKey &lt;key&gt;</c> and compared in constant time. Without a configured key, nobody is admin.
/// </summary>
public static class AdminAccess
{
    public const string BootstrapKeySetting = "QCDC_BOOTSTRAP_ADMIN_KEY";
    public const string Scheme = "ApiKey";

    private static readonly LocalizedText MissingKey = new(
        "Send an admin key as 'Authorization: ApiKey <key>'.", "Hãy gửi khóa quản trị dạng 'Authorization: ApiKey <khóa>'.");

    private static readonly LocalizedText WrongKey = new("The key is not valid.", "Khóa không hợp lệ.");

    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var configured = http.RequestServices.GetRequiredService<IConfiguration>()[BootstrapKeySetting];
            var presented = PresentedKey(http.Request);
            if (presented is null)
            {
                return Unauthorized(MissingKey);
            }
            if (string.IsNullOrEmpty(configured) || !Matches(presented, configured))
            {
                return Unauthorized(WrongKey);
            }
            return await next(context);
        });

    public static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme + " ", StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length + 1
            ? header[(Scheme.Length + 1)..].Trim()
            : null;
    }

    /// <summary>Compares hashes so that the time taken says nothing about the key.</summary>
    public static bool Matches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static IResult Unauthorized(LocalizedText detail)
    {
        return TypedResults.Problem(detail: detail.Current, statusCode: StatusCodes.Status401Unauthorized);
    }
}
