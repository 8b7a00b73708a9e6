namespace Qcdc.Functions.Hosting;

/// <summary>
/// The <c>authLevel</c> written into an HTTP function's <c>function.json</c>. The app authenticates every request
/// itself (API keys); a function key in front is optional defence, never relied on, so the default is anonymous.
/// </summary>
public sealed record FunctionAuthLevel(string Level)
{
    public static readonly FunctionAuthLevel Anonymous = new("anonymous");
    public static readonly FunctionAuthLevel Function = new("function");
    public static readonly FunctionAuthLevel Admin = new("admin");
}

public static class FunctionAuthLevelExtensions
{
    public static TBuilder WithFunctionAuthLevel<TBuilder>(this TBuilder builder, FunctionAuthLevel level)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(level);
}
