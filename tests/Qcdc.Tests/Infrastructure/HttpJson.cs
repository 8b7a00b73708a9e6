using System.Text;
using System.Text.Json;

namespace Qcdc.Tests.Infrastructure;

public static class HttpJson
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");
}
