using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Qcdc.Json;

namespace Qcdc.Functions.Http;

/// <summary>
/// The API's JSON: the shared conventions, and only source-generated type information. Each feature folder declares
/// the types of its bodies and answers in a context of its own (<c>SubmissionsJsonContext</c> …); the composition
/// hands them all here. No reflection: a type no context names fails every test that touches it, and a cold start
/// builds no serializer by reflection.
/// </summary>
public static class ApiJson
{
    public static void Configure(JsonOptions options, IEnumerable<IJsonTypeInfoResolver> featureContexts)
    {
        QcdcJson.Configure(options.SerializerOptions);
        options.SerializerOptions.TypeInfoResolverChain.Clear();
        foreach (var context in featureContexts)
        {
            options.SerializerOptions.TypeInfoResolverChain.Add(context);
        }
        options.SerializerOptions.TypeInfoResolverChain.Add(QcdcJsonContext.Default);
    }
}
