using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Qcdc.Functions.Http;
using Qcdc.Functions.Security;
using Qcdc.Functions.Hosting;

namespace Qcdc.Functions.OpenApi;

/// <summary>
/// Makes the generated OpenAPI document tell the truth: the two ways to authenticate and which operations need
/// them, the headers writes take, every status an operation can answer with the problem-details body it carries,
/// and no property marked required that the JSON leaves out (nulls are never written).
/// </summary>
public static class ApiDescription
{
    public const string ApiKeyScheme = "ApiKey";
    public const string SessionScheme = "Session";
    public const string ProblemSchema = "Problem";
    public const string ProblemContentType = "application/problem+json";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            Describe(operation, context);
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            Describe(schema, context);
            return Task.CompletedTask;
        });
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "QCDC reporting API";
        document.Info.Description = "Periodic reports on implementing grassroots democracy (Quy chế dân chủ ở cơ sở, QCDC), their review and their rollups. "
            + "Errors are RFC 9457 problem details; send Accept-Language: vi for Vietnamese.";
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? "");
        }
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "Authorization",
            Description = "An API key, sent as `Authorization: ApiKey qcdc_…`. Each key is bound to one unit and one role.",
        };
        document.Components.SecuritySchemes[SessionScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = Authentication.SessionCookie,
            Description = "The session cookie POST /api/session sets for a browser. Changes made with it carry the X-CSRF-Token header.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem();
        document.Components.Schemas.Remove("ProblemDetails");
        foreach (var schema in document.Components.Schemas.Values.OfType<OpenApiSchema>())
        {
            OptionalWhenNullable(schema);
        }
        // Every operation's problem answers point at the problem schema of this document.
        foreach (var operation in (document.Paths ?? []).Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var response in (operation.Responses ?? []).Values.OfType<OpenApiResponse>())
            {
                if (response.Content?.TryGetValue(ProblemContentType, out var media) == true)
                {
                    media.Schema = new OpenApiSchemaReference(ProblemSchema, document);
                }
            }
            foreach (var requirement in operation.Security ?? [])
            {
                foreach (var scheme in requirement.Keys.OfType<OpenApiSecuritySchemeReference>().ToList())
                {
                    var values = requirement[scheme];
                    requirement.Remove(scheme);
                    requirement[new OpenApiSecuritySchemeReference(scheme.Reference.Id!, document)] = values;
                }
            }
        }
    }

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Health"] = "Liveness and storage reachability.",
        ["Forms"] = "Form definitions (data sets) from which clients render the quarterly and five-year forms.",
        ["Periods"] = "Reporting periods with their data cut-off, deadlines and lock dates (Decree 09/2019).",
        ["Units"] = "Reporting units and their hierarchy over time (merges and splits of 1 July 2025 included).",
        ["Administration"] = "Units, forms, keys and rollup runs; administrators only.",
        ["Session"] = "Signing a browser in with a key, and who a key or session acts for.",
        ["Submissions"] = "A unit's periodic report: draft, submit, approve, return, history.",
        ["Attachments"] = "Files of a report, uploaded to short-lived URLs and verified.",
        ["Rollups"] = "Totals over a unit's subtree with completeness.",
        ["Exports"] = "The rollup as a workbook or CSV, and the draft report (Decree 30/2020) as a Word document.",
    };

    private static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var rule = metadata.OfType<AccessMetadata>().LastOrDefault()?.Rule ?? AccessRule.Anonymous;
        var method = context.Description.HttpMethod ?? "GET";
        var writes = !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);
        operation.Parameters ??= [];
        operation.Responses ??= new OpenApiResponses();

        if (rule == AccessRule.Anonymous)
        {
            operation.Security = [new OpenApiSecurityRequirement()]; // anyone: no key needed
        }
        else
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SessionScheme)] = [] },
            ];
            AddProblem(operation, 401, "No valid API key or session.", Header("WWW-Authenticate", "The scheme to authenticate with: ApiKey."));
            AddProblem(operation, 403, "The key's unit or role may not do this here (the detail says which).");
            if (writes)
            {
                operation.Parameters.Add(HeaderParameter(Authentication.CsrfHeader,
                    "The anti-forgery token of the session (required with the session cookie, not with an API key).", required: false));
            }
        }
        if (metadata.OfType<WriteConditionsMetadata>().LastOrDefault() is { } conditions)
        {
            if (conditions.IfMatch)
            {
                operation.Parameters.Add(HeaderParameter("If-Match",
                    "The ETag of the report being changed (required to change an existing report; * is not accepted).", required: false));
            }
            var key = HeaderParameter(WriteConditions.IdempotencyKeyHeader,
                "Makes a retry safe: the same key with the same request replays the first answer; with another request it is refused.", required: false);
            ((OpenApiSchema)key.Schema!).MaxLength = WriteConditions.MaxIdempotencyKeyLength;
            ((OpenApiSchema)key.Schema!).Pattern = "^[\\x20-\\x7E]+$";
            operation.Parameters.Add(key);
            AddProblem(operation, 400, "A malformed header or body.");
        }
        if (metadata.OfType<RawBodyMetadata>().LastOrDefault() is { } raw)
        {
            // A body the handler reads itself (a file, a workbook): its media types, as bytes.
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = raw.Description,
                Content = raw.ContentTypes.ToDictionary(type => type, _ => new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                }),
            };
            AddProblem(operation, 413, "The body is larger than this operation accepts.");
        }
        var accepts = metadata.OfType<IAcceptsMetadata>().Any(a => a.ContentTypes.Count > 0);
        if (accepts || (operation.RequestBody is not null && metadata.OfType<RawBodyMetadata>().LastOrDefault() is null))
        {
            AddProblem(operation, 400, "The body is not valid JSON, is not UTF-8, repeats a key, or has the wrong shape.");
            AddProblem(operation, 413, "The body is larger than this operation accepts.");
            if (accepts)
            {
                AddProblem(operation, 415, "The body is not of the media type this operation accepts.");
            }
        }
        foreach (var query in metadata.OfType<Hosting.QueryParameterMetadata>())
        {
            // A function reads its query values itself (the Functions host binds only route values): declared on it.
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = query.Name,
                In = ParameterLocation.Query,
                Description = query.Description,
                Required = false,
                Schema = new OpenApiSchema { Type = query.Type == "integer" ? JsonSchemaType.Integer : JsonSchemaType.String },
            });
        }
        if (operation.Parameters.Any(p => p.In == ParameterLocation.Query))
        {
            AddProblem(operation, 400, "A query parameter is malformed.");
        }
        AddProblem(operation, 429, "Too many requests from this key or address.", Header("Retry-After", "Seconds to wait before retrying."));
        AddProblem(operation, 500, "An unexpected error; it was logged, and the traceId identifies it.");
        AddProblem(operation, 503, "Storage did not answer within the request's time budget; nothing was lost.", Header("Retry-After", "Seconds to wait before retrying."));
        if (operation.Parameters.Count == 0)
        {
            operation.Parameters = null;
        }
        foreach (var response in operation.Responses.Values.OfType<OpenApiResponse>())
        {
            response.Description = string.IsNullOrEmpty(response.Description) ? "Answer" : response.Description;
        }
    }

    /// <summary>Nulls are never written (WhenWritingNull): a property that may be null may be absent, so it is not required.</summary>
    private static void OptionalWhenNullable(OpenApiSchema schema)
    {
        if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
        {
            foreach (var (name, property) in properties)
            {
                if (IsNullable(property))
                {
                    required.Remove(name);
                }
            }
        }
    }

    private static void Describe(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        OptionalWhenNullable(schema);
        if (context.JsonTypeInfo.Type == typeof(Qcdc.Localization.LocalizedText))
        {
            schema.Type = JsonSchemaType.String;
            schema.Properties = null;
            schema.Required = null;
        }
        if (context.JsonTypeInfo.Type == typeof(Submissions.SubmissionsApi.ReportBody) || context.JsonTypeInfo.Type == typeof(Submissions.SubmissionsApi.ReportView))
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["values"] = ReportValues();
        }
    }

    /// <summary>
    /// A report's values by indicator code (a disaggregated one also as <c>code.category</c> is not used: categories are
    /// an object): a number (integer, decimal, money), a ratio, an object of categories (numbers, an optional total), a
    /// text, or null (in a merge patch, to remove the value). So a client generated from the document can send them.
    /// </summary>
    private static OpenApiSchema ReportValues() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "Values by indicator code: a number, {numerator, denominator} for a ratio, an object of categories for a disaggregated indicator, a text; null removes a value in a merge patch.",
        AdditionalProperties = new OpenApiSchema
        {
            // anyOf, not oneOf: a ratio is also an object of numbers; the form definition says which an indicator takes.
            AnyOf =
            [
                new OpenApiSchema { Type = JsonSchemaType.Number, Description = "integer, decimal or money" },
                new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "a ratio (value is answered, never sent)",
                    Required = new HashSet<string> { "numerator", "denominator" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["numerator"] = new OpenApiSchema { Type = JsonSchemaType.Number },
                        ["denominator"] = new OpenApiSchema { Type = JsonSchemaType.Number },
                        ["value"] = new OpenApiSchema { Type = JsonSchemaType.Number },
                    },
                    AdditionalPropertiesAllowed = false,
                },
                new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "categories of a disaggregated indicator (an optional total must equal their sum)",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Number | JsonSchemaType.Null },
                },
                new OpenApiSchema { Type = JsonSchemaType.String, Description = "a narrative" },
                new OpenApiSchema { Type = JsonSchemaType.Null },
            ],
        },
    };

    private static bool IsNullable(IOpenApiSchema schema) =>
        (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        || (schema.OneOf?.Any(o => o.Type == JsonSchemaType.Null) ?? false)
        || (schema.AnyOf?.Any(o => o.Type == JsonSchemaType.Null) ?? false);

    private static void AddProblem(OpenApiOperation operation, int status, string description, (string Name, OpenApiHeader Header)? header = null)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses!.TryGetValue(key, out var existing) || existing is not OpenApiResponse response)
        {
            response = new OpenApiResponse { Description = description };
            operation.Responses[key] = response;
        }
        if (response.Description is null or "" || ReasonPhrase(status) == response.Description)
        {
            response.Description = description;
        }
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        response.Content[ProblemContentType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema) };
        if (header is var (name, value))
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers[name] = value;
        }
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    private static (string, OpenApiHeader) Header(string name, string description) =>
        (name, new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });

    private static OpenApiParameter HeaderParameter(string name, string description, bool required) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = required,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    /// <summary>RFC 9457 problem details as this API writes them.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details; title and detail are in the language Accept-Language asks for.",
        Required = new HashSet<string> { "type", "title", "status" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["attachment"] = new OpenApiSchema
            {
                Description = "The attachment a refusal is about (a rejected upload).",
                AllOf = [new OpenApiSchemaReference("AttachmentView")],
            },
            ["unit"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "A rollup asked of a unit outside the period: when the unit existed, its successors and predecessors.",
                Required = new HashSet<string> { "code", "name", "validFrom", "successors", "predecessors" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["name"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["validFrom"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
                    ["validTo"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date" },
                    ["successors"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                    ["predecessors"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
            ["tables"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Health: whether tables answered." },
            ["blobs"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Health: whether blobs answered." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "Every field at fault: where, why, and the indicator's code and Vietnamese label when it is about one.",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "field", "message" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["field"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["label"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
        },
    };
}

