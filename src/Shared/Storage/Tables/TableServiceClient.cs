using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Qcdc.Storage.Tables;

/// <summary>The pipeline options of the table client: retries and network time-outs, as Azure.Core applies them.</summary>
public sealed class TableClientOptions : ClientOptions
{
}

/// <summary>A table's name as the service lists it.</summary>
public sealed record TableItem(string Name);

/// <summary>
/// The Table service of one storage account (Azure Table Storage or Azurite), spoken over its REST API with the
/// shared Azure.Core pipeline: Shared Key for a connection string with an account key, a bearer token for a
/// <see cref="TokenCredential"/> (managed identity). Written for the app's own use — JSON without reflection, so
/// that the app publishes as Native AOT (ADR-009) — and one instance serves the whole process.
/// </summary>
public class TableServiceClient
{
    internal const string ServiceVersion = "2019-02-02";
    internal const string JsonMinimalMetadata = "application/json;odata=minimalmetadata";
    private const string DevelopmentAccount = "devstoreaccount1";
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly HttpPipeline _pipeline = null!;

    /// <summary>For mocking.</summary>
    protected TableServiceClient()
    {
        Uri = new Uri("http://127.0.0.1/");
        AccountName = "";
    }

    /// <summary>From a storage connection string with an account key (or <c>UseDevelopmentStorage=true</c>).</summary>
    public TableServiceClient(string connectionString, TableClientOptions? options = null)
    {
        var (endpoint, account, key) = ParseConnectionString(connectionString);
        Uri = endpoint;
        AccountName = account;
        _pipeline = HttpPipelineBuilder.Build(options ?? new TableClientOptions(), new SharedKeyPolicy(account, key));
    }

    /// <summary>From the table endpoint and a credential (for an account without keys: managed identity).</summary>
    public TableServiceClient(Uri endpoint, TokenCredential credential, TableClientOptions? options = null)
    {
        Uri = endpoint;
        AccountName = AccountOf(endpoint);
        _pipeline = HttpPipelineBuilder.Build(options ?? new TableClientOptions(),
            new BearerTokenAuthenticationPolicy(credential, "https://storage.azure.com/.default"));
    }

    /// <summary>The account's table endpoint.</summary>
    public Uri Uri { get; }

    /// <summary>The storage account's name.</summary>
    public string AccountName { get; }

    public virtual TableClient GetTableClient(string tableName) => new(this, tableName);

    public virtual async Task<Response> CreateTableIfNotExistsAsync(string tableName, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, "/Tables");
        var body = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("TableName", tableName);
            writer.WriteEndObject();
        }
        SetJsonContent(message.Request, body.ToArray());
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        var response = await SendAsync(message, cancellationToken);
        return response.Status == 409 || !response.IsError ? response : throw TableErrorParser.Failed(response);
    }

    public virtual async Task<Response> DeleteTableAsync(string tableName, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, $"/Tables('{TableJson.EscapeKey(tableName)}')");
        var response = await SendAsync(message, cancellationToken);
        return response.Status == 404 || !response.IsError ? response : throw TableErrorParser.Failed(response);
    }

    /// <summary>The account's tables (those matching <paramref name="filter"/> on <c>TableName</c>), a page at a time.</summary>
    public virtual AsyncPageable<TableItem> QueryAsync(string? filter = null, int? maxPerPage = null, CancellationToken cancellationToken = default) =>
        new TablePageable<TableItem>(async (continuation, pageSize, ct) =>
        {
            using var message = CreateMessage(RequestMethod.Get, "/Tables");
            if (filter is not null)
            {
                message.Request.Uri.AppendQuery("$filter", filter);
            }
            if ((pageSize ?? maxPerPage) is { } top)
            {
                message.Request.Uri.AppendQuery("$top", top.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (continuation is not null)
            {
                message.Request.Uri.AppendQuery("NextTableName", continuation);
            }
            var response = await SendAsync(message, ct);
            if (response.IsError)
            {
                throw TableErrorParser.Failed(response);
            }
            var next = response.Headers.TryGetValue("x-ms-continuation-NextTableName", out var name) ? name : null;
            return Page<TableItem>.FromValues([.. TableJson.ReadTableNames(response.Content.ToMemory().Span).Select(n => new TableItem(n))], next, response);
        }, cancellationToken);

    /// <summary>A request to a path under the account's endpoint, with the headers every table request carries.</summary>
    internal HttpMessage CreateMessage(RequestMethod method, string pathAndQuery)
    {
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(new Uri(Uri.AbsoluteUri.TrimEnd('/') + pathAndQuery));
        request.Headers.SetValue("x-ms-version", ServiceVersion);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.SetValue("Accept", JsonMinimalMetadata);
        return message;
    }

    internal static void SetJsonContent(Request request, byte[] json)
    {
        request.Headers.SetValue("Content-Type", "application/json");
        request.Content = RequestContent.Create(json);
    }

    internal async ValueTask<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken);
        return message.Response;
    }

    /// <summary>The account of an endpoint: the first label of its host, or its first path segment on an IP address or localhost (Azurite).</summary>
    private static string AccountOf(Uri endpoint) =>
        endpoint.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || endpoint.IsLoopback
            ? endpoint.AbsolutePath.Trim('/').Split('/')[0]
            : endpoint.Host.Split('.')[0];

    /// <summary>The table endpoint, the account name and its key, from a connection string.</summary>
    internal static (Uri Endpoint, string Account, byte[] Key) ParseConnectionString(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.OrdinalIgnoreCase);
        if (parts.TryGetValue("UseDevelopmentStorage", out var development) && bool.TryParse(development, out var useDevelopment) && useDevelopment)
        {
            return (new Uri($"http://127.0.0.1:10002/{DevelopmentAccount}"), DevelopmentAccount, Convert.FromBase64String(DevelopmentKey));
        }
        if (!parts.TryGetValue("AccountName", out var account) || !parts.TryGetValue("AccountKey", out var key))
        {
            throw new FormatException("The storage connection string needs AccountName and AccountKey (or UseDevelopmentStorage=true).");
        }
        var endpoint = parts.TryGetValue("TableEndpoint", out var table)
            ? new Uri(table)
            : new Uri($"{parts.GetValueOrDefault("DefaultEndpointsProtocol", "https")}://{account}.table.{parts.GetValueOrDefault("EndpointSuffix", "core.windows.net")}");
        return (endpoint, account, Convert.FromBase64String(key));
    }

    /// <summary>
    /// Signs each try with the account key, the Table service's Shared Key scheme: verb, Content-MD5, Content-Type,
    /// date and the canonical resource (<c>/account/path</c>, no operation the app uses has a <c>comp</c> parameter).
    /// </summary>
    private sealed class SharedKeyPolicy(string account, byte[] key) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            var request = message.Request;
            // The signature's date must be the wall clock's: the service refuses one far from its own.
            var date = TimeProvider.System.GetUtcNow().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            request.Headers.SetValue("x-ms-date", date);
            var uri = request.Uri.ToUri();
            var resource = new StringBuilder("/").Append(account).Append(uri.AbsolutePath);
            var contentType = request.Headers.TryGetValue("Content-Type", out var type) ? type : "";
            var contentMd5 = request.Headers.TryGetValue("Content-MD5", out var md5) ? md5 : "";
            var toSign = $"{request.Method.Method}\n{contentMd5}\n{contentType}\n{date}\n{resource}";
            var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
            request.Headers.SetValue("Authorization", $"SharedKey {account}:{signature}");
        }
    }
}

/// <summary>A query's results, fetched a page at a time as they are enumerated.</summary>
internal sealed class TablePageable<T>(Func<string?, int?, CancellationToken, Task<Page<T>>> fetch, CancellationToken cancellationToken)
    : AsyncPageable<T>(cancellationToken) where T : notnull
{
    public override async IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        do
        {
            var page = await fetch(continuationToken, pageSizeHint, CancellationToken);
            yield return page;
            continuationToken = page.ContinuationToken;
        }
        while (continuationToken is not null);
    }
}
