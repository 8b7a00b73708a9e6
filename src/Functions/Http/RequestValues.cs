using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Qcdc.Functions.Http;

/// <summary>
/// What a function reads of its request besides its route values: query values and a JSON body of a known shape.
/// A function binds these itself, so that it reads the same under the Functions host (which binds only the trigger
/// and the route values) as on the standalone server; a value that cannot be read is refused as binding refuses it.
/// </summary>
public static class RequestValues
{
    /// <summary>The query value of that name (the first, when it is given twice), or null.</summary>
    public static string? Query(this HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>The query value as a whole number, null when absent; a value that is not one is a 400.</summary>
    public static int? QueryInt32(this HttpRequest request, string name) =>
        request.Query(name) is not { } text ? null
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw new BadHttpRequestException($"The query value '{name}' is not a whole number.", StatusCodes.Status400BadRequest);

    /// <summary>The request's checked JSON body (<see cref="RequestJson"/>) read as <typeparamref name="T"/>; an empty or mismatched body is a 400.</summary>
    public static T ReadJson<T>(this HttpRequest request) where T : class
    {
        var body = request.HttpContext.Body();
        if (body.Bytes.Length == 0)
        {
            throw new BadHttpRequestException("The request has no body.", StatusCodes.Status400BadRequest);
        }
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return JsonSerializer.Deserialize<T>(body.Bytes, options)
                ?? throw new BadHttpRequestException("The request's body is null.", StatusCodes.Status400BadRequest);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("The request's body does not have the expected shape.", StatusCodes.Status400BadRequest, e);
        }
    }
}
