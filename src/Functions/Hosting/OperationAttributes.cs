using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Qcdc.Functions.Http;
using Qcdc.Functions.OpenApi;
using Qcdc.Functions.Security;

namespace Qcdc.Functions.Hosting;

/// <summary>
/// An attribute on a function that stands for endpoint metadata: what the route allows, its body limit, its time
/// budget, the headers it takes, what its OpenAPI description says. Read from the function's method in both modes
/// (the start-up's function table), so that an operation's rules are declared once, beside its trigger.
/// </summary>
public interface IOperationMetadata
{
    IEnumerable<object> Metadata { get; }
}

/// <summary>Who may call the operation; the unit is the <c>{unit}</c> route value (or <c>?under=</c>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AccessAttribute(AccessRule rule) : Attribute, IOperationMetadata
{
    public AccessRule Rule { get; } = rule;

    public IEnumerable<object> Metadata => Rule == AccessRule.Anonymous
        ? [new AccessMetadata(Rule), new AllowAnonymousAttribute()]
        : [new AccessMetadata(Rule), new AuthorizeAttribute(Rule.ToString())];
}

/// <summary>The largest body the operation accepts, in bytes.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BodyLimitAttribute(long bytes) : Attribute, IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = bytes;
}

/// <summary>A time budget of the operation's own for its storage calls (seconds), instead of <c>Storage:RequestBudget</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequestBudgetAttribute(double seconds) : Attribute, IOperationMetadata
{
    public IEnumerable<object> Metadata => [new RequestBudgetMetadata(TimeSpan.FromSeconds(seconds))];
}

/// <summary>The operation takes <c>Idempotency-Key</c> and (unless <see cref="IfMatch"/> is false) <c>If-Match</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WriteConditionsAttribute : Attribute, IOperationMetadata
{
    public bool IfMatch { get; init; } = true;

    public IEnumerable<object> Metadata => [new WriteConditionsMetadata(IfMatch)];
}

/// <summary>The operation reads a JSON body of this shape (checked strictly before it is read).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsJsonAttribute(Type requestType, string contentType = "application/json") : Attribute, IAcceptsMetadata
{
    public IReadOnlyList<string> ContentTypes { get; } = [contentType];

    public Type? RequestType { get; } = requestType;

    public bool IsOptional => false;
}

/// <summary>The operation reads its body as bytes of these media types (a file), described so in OpenAPI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RawBodyAttribute(string description, params string[] contentTypes) : Attribute, IOperationMetadata
{
    public IEnumerable<object> Metadata => [new RawBodyMetadata(contentTypes, description)];
}

/// <summary>The problem-detail answers (by status) the operation can give besides those every operation can.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProducesProblemAttribute(params int[] statuses) : Attribute, IOperationMetadata
{
    public IEnumerable<object> Metadata =>
        statuses.Select(s => new ProducesResponseTypeMetadata(s, typeof(ProblemDetails), [ApiDescription.ProblemContentType]));
}

/// <summary>The operation answers 200 with a file of this media type.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProducesFileAttribute(string contentType) : Attribute, IOperationMetadata
{
    public IEnumerable<object> Metadata => [new ProducesResponseTypeMetadata(200, null, [contentType])];
}

/// <summary>A query parameter the operation reads (from <c>HttpRequest.Query</c>), for its OpenAPI description.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class QueryParameterAttribute(string name, string description) : Attribute, IOperationMetadata
{
    public IEnumerable<object> Metadata => [new QueryParameterMetadata(name, description, Type)];

    public string Name => name;

    /// <summary>The OpenAPI type of the value: "string" or "integer".</summary>
    public string Type { get; init; } = "string";
}

public sealed record QueryParameterMetadata(string Name, string Description, string Type);
