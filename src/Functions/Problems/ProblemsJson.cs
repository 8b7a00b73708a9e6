using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qcdc.Functions.Problems;

/// <summary>Problem details, the answer to every refused request. Source-generated; the app's composition adds it to the API's JSON options.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
[JsonSerializable(typeof(Qcdc.Problems.FieldProblem[]))]
[JsonSerializable(typeof(string))]
public sealed partial class ProblemsJsonContext : JsonSerializerContext;
