using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Qcdc.Tests.Infrastructure;

/// <summary>
/// The published OpenAPI document as a contract: every answer the integration tests receive is checked against it
/// (the operation exists, the status is documented, the body matches the documented schema), so that the
/// document and the app cannot drift apart without a test failing.
/// </summary>
public static class ApiContract
{
    private static readonly Lock Gate = new();
    private static JsonElement? _document;
    private static List<(Regex Path, string Template)> _paths = [];
    private static int _validated;
    private static readonly HashSet<string> Covered = [];

    static ApiContract() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Report();

    public static int Validated => Volatile.Read(ref _validated);

    public static bool IsLoaded => _document is not null;

    public static void Load(string json)
    {
        lock (Gate)
        {
            if (_document is not null)
            {
                return;
            }
            var document = JsonDocument.Parse(json).RootElement.Clone();
            _paths = [.. document.GetProperty("paths").EnumerateObject()
                .Select(p => (new Regex("^" + Regex.Replace(Regex.Escape(p.Name).Replace("\\{", "{", StringComparison.Ordinal), "{[^}]+}", "[^/]+") + "$"), p.Name))
                .OrderBy(p => p.Name.Count(c => c == '{'))];
            _document = document;
        }
    }

    /// <summary>Null when the answer agrees with the document (or its path is not an API operation), else why not.</summary>
    public static string? Check(HttpMethod method, string path, int status, string? mediaType, string body)
    {
        if (_document is not { } document || !path.StartsWith("/api/", StringComparison.Ordinal))
        {
            return null;
        }
        var template = _paths.FirstOrDefault(p => p.Path.IsMatch(path)).Template;
        if (template is null || !document.GetProperty("paths").GetProperty(template).TryGetProperty(method.Method.ToLowerInvariant(), out var operation))
        {
            return null; // routing's own 404 and 405 are not operations
        }
        var where = $"{method} {template} → {status}";
        if (!operation.GetProperty("responses").TryGetProperty(status.ToString(CultureInfo.InvariantCulture), out var response))
        {
            return $"{where} is not documented";
        }
        Interlocked.Increment(ref _validated);
        lock (Gate)
        {
            Covered.Add(where);
        }
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }
        if (!response.TryGetProperty("content", out var content))
        {
            return $"{where} answers a body ({mediaType}) the document does not describe";
        }
        if (mediaType is null || !content.TryGetProperty(mediaType, out var media))
        {
            return content.EnumerateObject().Any(c => c.Name.Contains('*', StringComparison.Ordinal) || !c.Name.Contains("json", StringComparison.Ordinal))
                ? null
                : $"{where} answers {mediaType}, documented: {string.Join(", ", content.EnumerateObject().Select(c => c.Name))}";
        }
        if (!mediaType.Contains("json", StringComparison.Ordinal) || !media.TryGetProperty("schema", out var schema))
        {
            return null;
        }
        using var json = JsonDocument.Parse(body);
        var errors = new List<string>();
        Validate(document, schema, json.RootElement, "$", errors);
        return errors.Count == 0 ? null : $"{where}: {string.Join("; ", errors.Take(5))}";
    }

    private static void Validate(JsonElement document, JsonElement schema, JsonElement value, string at, List<string> errors)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (schema.TryGetProperty("$ref", out var reference))
        {
            Validate(document, Resolve(document, reference.GetString()!), value, at, errors);
        }
        if (schema.TryGetProperty("oneOf", out var oneOf) || schema.TryGetProperty("anyOf", out oneOf))
        {
            var matches = oneOf.EnumerateArray().Count(option =>
            {
                var inner = new List<string>();
                Validate(document, option, value, at, inner);
                return inner.Count == 0;
            });
            if (matches == 0)
            {
                errors.Add($"{at} matches none of its alternatives");
            }
        }
        if (schema.TryGetProperty("allOf", out var allOf))
        {
            foreach (var part in allOf.EnumerateArray())
            {
                Validate(document, part, value, at, errors);
            }
        }
        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, value))
        {
            errors.Add($"{at} is {value.ValueKind}, documented {type.GetRawText()}");
            return;
        }
        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, value)))
        {
            errors.Add($"{at} = {value.GetRawText()} is not one of {values.GetRawText()}");
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = schema.TryGetProperty("properties", out var p) ? p : default;
                if (schema.TryGetProperty("required", out var required))
                {
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(n => !value.TryGetProperty(n, out _)))
                    {
                        errors.Add($"{at}.{name} is required but absent");
                    }
                }
                foreach (var property in value.EnumerateObject())
                {
                    if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
                    {
                        Validate(document, propertySchema, property.Value, $"{at}.{property.Name}", errors);
                    }
                    else if (schema.TryGetProperty("additionalProperties", out var additional))
                    {
                        if (additional.ValueKind == JsonValueKind.False)
                        {
                            errors.Add($"{at}.{property.Name} is not documented");
                        }
                        else
                        {
                            Validate(document, additional, property.Value, $"{at}.{property.Name}", errors);
                        }
                    }
                    else if (properties.ValueKind == JsonValueKind.Object && !schema.TryGetProperty("$ref", out _))
                    {
                        errors.Add($"{at}.{property.Name} is not documented");
                    }
                }
                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Validate(document, items, item, $"{at}[{index++}]", errors);
                }
                break;
            case JsonValueKind.String when schema.TryGetProperty("format", out var format):
                var text = value.GetString()!;
                var ok = format.GetString() switch
                {
                    "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                    "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                    "uri" or "uri-reference" => Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out _),
                    _ => true,
                };
                if (!ok)
                {
                    errors.Add($"{at} = '{text}' is not a {format.GetString()}");
                }
                break;
            case JsonValueKind.Number when schema.TryGetProperty("format", out var numberFormat):
                if (numberFormat.GetString() is "int32" && !value.TryGetInt32(out _) || numberFormat.GetString() is "int64" && !value.TryGetInt64(out _))
                {
                    errors.Add($"{at} = {value.GetRawText()} is not an {numberFormat.GetString()}");
                }
                break;
            default:
                break;
        }
    }

    private static bool TypeMatches(JsonElement type, JsonElement value) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(t => TypeMatches(t.GetString()!, value))
        : TypeMatches(type.GetString()!, value);

    private static bool TypeMatches(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && decimal.Truncate(d) == d,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static JsonElement Resolve(JsonElement document, string reference)
    {
        var node = document;
        foreach (var part in reference.TrimStart('#', '/').Split('/'))
        {
            node = node.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }
        return node;
    }

    private static void Report()
    {
        try
        {
            var folder = Path.Combine(AzuriteFixture.RepositoryRoot, "TestResults");
            Directory.CreateDirectory(folder);
            lock (Gate)
            {
                File.WriteAllText(Path.Combine(folder, "openapi-validated.txt"),
                    $"{Validated} answers validated against the OpenAPI document, {Covered.Count} distinct operation/status pairs:\n"
                    + string.Join("\n", Covered.Order(StringComparer.Ordinal)) + "\n");
            }
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Checks each answer against <see cref="ApiContract"/>; a disagreement fails the test that made the call.</summary>
public sealed class ContractCheckingHandler(Func<HttpClient> documentSource) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!ApiContract.IsLoaded)
        {
            using var source = documentSource();
            ApiContract.Load(await source.GetStringAsync("/api/openapi.json", cancellationToken));
        }
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not null && !mediaType.Contains("json", StringComparison.Ordinal))
        {
            body = "";
        }
        if (ApiContract.Check(request.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, mediaType, body) is { } problem)
        {
            throw new Xunit.Sdk.XunitException("The answer does not agree with the OpenAPI document: " + problem);
        }
        return response;
    }
}
