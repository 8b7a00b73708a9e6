using System.Globalization;
using Azure;
using Azure.Core;

namespace Qcdc.Storage.Tables;

public enum TableUpdateMode
{
    /// <summary>Only the given properties change; the others stay.</summary>
    Merge,
    /// <summary>The row becomes exactly the given entity.</summary>
    Replace,
}

/// <summary>
/// One table: point reads, filtered queries a page at a time, writes with optimistic concurrency, and
/// entity-group transactions within one partition. Methods are virtual so that a test can make one call fail.
/// </summary>
public class TableClient
{
    private static readonly RequestMethod Merge = new("MERGE");
    private readonly TableServiceClient _service = null!;

    /// <summary>For mocking.</summary>
    protected TableClient()
    {
        Name = "";
    }

    internal TableClient(TableServiceClient service, string name)
    {
        _service = service;
        Name = name;
    }

    public string Name { get; }

    /// <summary>A filter with its holes filled as OData literals (strings quoted, times as <c>datetime'…'</c>).</summary>
    public static string CreateQueryFilter(FormattableString filter) => TableJson.Filter(filter);

    public virtual Task<Response> CreateIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        _service.CreateTableIfNotExistsAsync(Name, cancellationToken);

    public virtual Task<Response> DeleteAsync(CancellationToken cancellationToken = default) =>
        _service.DeleteTableAsync(Name, cancellationToken);

    /// <summary>The row, or no value when it does not exist.</summary>
    public virtual async Task<NullableResponse<TableEntity>> GetEntityIfExistsAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Get, EntityPath(partitionKey, rowKey));
        AppendSelect(message.Request, select);
        var response = await _service.SendAsync(message, cancellationToken);
        if (response.Status == 404)
        {
            return new EntityResponse(null, response);
        }
        return new EntityResponse(ReadEntity(response), response);
    }

    /// <summary>The row; a <see cref="RequestFailedException"/> (404) when it does not exist.</summary>
    public virtual async Task<Response<TableEntity>> GetEntityAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var found = await GetEntityIfExistsAsync(partitionKey, rowKey, select, cancellationToken);
        return found.HasValue ? Response.FromValue(found.Value!, found.GetRawResponse()) : throw TableErrorParser.Failed(found.GetRawResponse());
    }

    /// <summary>The rows that match <paramref name="filter"/>, in key order, fetched a page at a time.</summary>
    public virtual AsyncPageable<TableEntity> QueryAsync(
        string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var selected = select?.ToArray();
        return new TablePageable<TableEntity>(async (continuation, pageSize, ct) =>
        {
            using var message = _service.CreateMessage(RequestMethod.Get, $"/{Name}()");
            var uri = message.Request.Uri;
            if (filter is not null)
            {
                uri.AppendQuery("$filter", filter);
            }
            if ((pageSize ?? maxPerPage) is { } top)
            {
                uri.AppendQuery("$top", top.ToString(CultureInfo.InvariantCulture));
            }
            AppendSelect(message.Request, selected);
            if (continuation is not null)
            {
                var keys = continuation.Split(' ', 2);
                uri.AppendQuery("NextPartitionKey", keys[0]);
                if (keys.Length == 2)
                {
                    uri.AppendQuery("NextRowKey", keys[1]);
                }
            }
            var response = await _service.SendAsync(message, ct);
            if (response.IsError)
            {
                throw TableErrorParser.Failed(response);
            }
            var next = response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var partition)
                ? response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var row) ? $"{partition} {row}" : partition
                : null;
            return Page<TableEntity>.FromValues(TableJson.ReadPage(response.Content.ToMemory().Span), next, response);
        }, cancellationToken);
    }

    /// <summary>Inserts the row; 409 when it exists.</summary>
    public virtual async Task<Response> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Post, $"/{Name}");
        TableServiceClient.SetJsonContent(message.Request, TableJson.Write(entity));
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        return ThrowIfError(await _service.SendAsync(message, cancellationToken));
    }

    /// <summary>Changes an existing row if it still carries <paramref name="ifMatch"/> (<see cref="ETag.All"/>: any version); 412 when not, 404 when it is gone.</summary>
    public virtual async Task<Response> UpdateEntityAsync(
        TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(mode == TableUpdateMode.Replace ? RequestMethod.Put : Merge, EntityPath(entity.PartitionKey, entity.RowKey));
        TableServiceClient.SetJsonContent(message.Request, TableJson.Write(entity));
        message.Request.Headers.SetValue("If-Match", IfMatch(ifMatch));
        return ThrowIfError(await _service.SendAsync(message, cancellationToken));
    }

    /// <summary>Inserts the row or changes it, whatever its version.</summary>
    public virtual async Task<Response> UpsertEntityAsync(
        TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(mode == TableUpdateMode.Replace ? RequestMethod.Put : Merge, EntityPath(entity.PartitionKey, entity.RowKey));
        TableServiceClient.SetJsonContent(message.Request, TableJson.Write(entity));
        return ThrowIfError(await _service.SendAsync(message, cancellationToken));
    }

    /// <summary>Deletes the row if it carries <paramref name="ifMatch"/> (default: any version); a row already gone is not an error.</summary>
    public virtual async Task<Response> DeleteEntityAsync(
        string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        using var message = _service.CreateMessage(RequestMethod.Delete, EntityPath(partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", IfMatch(ifMatch));
        var response = await _service.SendAsync(message, cancellationToken);
        return response.Status == 404 ? response : ThrowIfError(response);
    }

    /// <summary>
    /// Applies every action or none (one partition, at most 100 actions); a refused action raises
    /// <see cref="TableTransactionFailedException"/> with its status and index.
    /// </summary>
    public virtual async Task<Response> SubmitTransactionAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        var list = actions.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A transaction needs at least one action.", nameof(actions));
        }
        using var message = _service.CreateMessage(RequestMethod.Post, "/$batch");
        var batch = TableBatch.Write(new Uri(_service.Uri.AbsoluteUri.TrimEnd('/') + "/"), Name, list);
        message.Request.Headers.SetValue("Content-Type", batch.ContentType);
        message.Request.Content = RequestContent.Create(batch.Body);
        var response = await _service.SendAsync(message, cancellationToken);
        if (response.IsError)
        {
            throw TableErrorParser.Failed(response);
        }
        TableBatch.ThrowIfRefused(response);
        return response;
    }

    internal string EntityPath(string partitionKey, string rowKey) =>
        $"/{Name}(PartitionKey='{TableJson.EscapeKey(partitionKey)}',RowKey='{TableJson.EscapeKey(rowKey)}')";

    internal static string IfMatch(ETag etag)
    {
        var value = etag == default ? "*" : etag.ToString();
        return value == "*" || value.StartsWith('"') || value.StartsWith("W/", StringComparison.Ordinal) ? value : $"\"{value}\"";
    }

    private static void AppendSelect(Request request, IEnumerable<string>? select)
    {
        if (select is not null && select.Any())
        {
            request.Uri.AppendQuery("$select", string.Join(',', select));
        }
    }

    private static TableEntity ReadEntity(Response response)
    {
        if (response.IsError)
        {
            throw TableErrorParser.Failed(response);
        }
        var entity = TableJson.ReadEntity(response.Content.ToMemory().Span);
        if (entity.ETag == default && response.Headers.ETag is { } etag)
        {
            entity.ETag = etag;
        }
        return entity;
    }

    private static Response ThrowIfError(Response response) => response.IsError ? throw TableErrorParser.Failed(response) : response;

    private sealed class EntityResponse(TableEntity? value, Response raw) : NullableResponse<TableEntity>
    {
        public override bool HasValue => value is not null;

        public override TableEntity? Value => value;

        public override Response GetRawResponse() => raw;
    }
}
