using System.Security.Cryptography;
using System.Text;
using Qcdc.Security;

namespace Qcdc.Functions.Security;

/// <summary>The caller of this request, if a valid key came with it.</summary>
public sealed record CallerFeature(Actor? Actor, bool KeyPresented);

/// <summary>
/// Reads <c>Authorization: ApiKey &lt;key&gt;</c> once per request: the bootstrap admin key from configuration
/// (<c>QCDC_BOOTSTRAP_ADMIN_KEY</c>) or a stored key. Routes decide what the caller may do (<see cref="Access"/>).
/// </summary>
public static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";
    public const string BootstrapKeySetting = "QCDC_BOOTSTRAP_ADMIN_KEY";

    public static WebApplication UseApiKeyAuthentication(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var presented = PresentedKey(context.Request);
            Actor? actor = null;
            if (presented is not null)
            {
                var bootstrap = context.RequestServices.GetRequiredService<IConfiguration>()[BootstrapKeySetting];
                actor = !string.IsNullOrEmpty(bootstrap) && Matches(presented, bootstrap)
                    ? new Actor(Actor.BootstrapId, Roles.Admin, null)
                    : await context.RequestServices.GetRequiredService<ApiKeyStore>().AuthenticateAsync(presented, context.RequestAborted);
            }
            context.Features.Set(new CallerFeature(actor, presented is not null));
            await next(context);
        });
        return app;
    }

    public static CallerFeature Caller(this HttpContext context) => context.Features.Get<CallerFeature>() ?? new CallerFeature(null, false);

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
}
