using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Azure;

namespace Qcdc.Storage.Tables;

public enum TableTransactionActionType
{
    Add,
    UpdateMerge,
    UpdateReplace,
    Delete,
    UpsertMerge,
    UpsertReplace,
}

/// <summary>One write of an entity-group transaction; <paramref name="etag"/> guards an update or a delete (default: any version).</summary>
public sealed class TableTransactionAction(TableTransactionActionType actionType, TableEntity entity, ETag etag = default)
{
    public TableTransactionActionType ActionType { get; } = actionType;

    public TableEntity Entity { get; } = entity;

    public ETag ETag { get; } = etag;
}

/// <summary>A transaction the service refused as a whole because of one action: its status (409 exists, 412 changed, 404 gone) and index.</summary>
public sealed class TableTransactionFailedException(int status, string? errorCode, string message, int? failedIndex)
    : RequestFailedException(status, message, errorCode, null)
{
    /// <summary>The position of the refused action in the list submitted, when the service names it.</summary>
    public int? FailedTransactionActionIndex { get; } = failedIndex;
}

/// <summary>
/// The <c>$batch</c> request of an entity-group transaction: a <c>multipart/mixed</c> body holding one change set
/// with one HTTP request per action, and its answer, whose change set holds either every action's success or the
/// one refusal that undid them all.
/// </summary>
internal static partial class TableBatch
{
    private const string NewLine = "\r\n";

    public static (string ContentType, byte[] Body) Write(Uri account, string table, IReadOnlyList<TableTransactionAction> actions)
    {
        var batch = "batch_" + Guid.NewGuid().ToString("D");
        var changeset = "changeset_" + Guid.NewGuid().ToString("D");
        var body = new MemoryStream();
        void Text(string s) => body.Write(Encoding.UTF8.GetBytes(s));

        Text($"--{batch}{NewLine}Content-Type: multipart/mixed; boundary={changeset}{NewLine}{NewLine}");
        foreach (var action in actions)
        {
            var entity = action.Entity;
            var entityUrl = $"{account.AbsoluteUri}{table}(PartitionKey='{TableJson.EscapeKey(entity.PartitionKey)}',RowKey='{TableJson.EscapeKey(entity.RowKey)}')";
            var (method, url, ifMatch, withBody) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", account.AbsoluteUri + table, null, true),
                TableTransactionActionType.UpdateReplace => ("PUT", entityUrl, TableClient.IfMatch(action.ETag), true),
                TableTransactionActionType.UpdateMerge => ("MERGE", entityUrl, TableClient.IfMatch(action.ETag), true),
                TableTransactionActionType.UpsertReplace => ("PUT", entityUrl, null, true),
                TableTransactionActionType.UpsertMerge => ("MERGE", entityUrl, null, true),
                TableTransactionActionType.Delete => ("DELETE", entityUrl, TableClient.IfMatch(action.ETag), false),
                _ => throw new ArgumentOutOfRangeException(nameof(actions), action.ActionType, "Unknown transaction action."),
            };
            Text($"--{changeset}{NewLine}Content-Type: application/http{NewLine}Content-Transfer-Encoding: binary{NewLine}{NewLine}");
            Text($"{method} {url} HTTP/1.1{NewLine}");
            Text($"Accept: {TableServiceClient.JsonMinimalMetadata}{NewLine}DataServiceVersion: 3.0{NewLine}");
            if (ifMatch is not null)
            {
                Text($"If-Match: {ifMatch}{NewLine}");
            }
            if (withBody)
            {
                var json = TableJson.Write(entity);
                Text($"Content-Type: application/json{NewLine}Prefer: return-no-content{NewLine}Content-Length: {json.Length.ToString(CultureInfo.InvariantCulture)}{NewLine}{NewLine}");
                body.Write(json);
                Text(NewLine);
            }
            else
            {
                Text(NewLine);
            }
        }
        Text($"--{changeset}--{NewLine}{NewLine}--{batch}--{NewLine}");
        return ($"multipart/mixed; boundary={batch}", body.ToArray());
    }

    /// <summary>Raises the refusal the answer holds, if any (the service answers 202 to the batch either way).</summary>
    public static void ThrowIfRefused(Response response)
    {
        var text = response.Content.ToString();
        foreach (Match status in StatusLine().Matches(text))
        {
            var code = int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture);
            if (code < 300)
            {
                continue;
            }
            var rest = text[status.Index..];
            var errorCode = ErrorCode().Match(rest) is { Success: true } e ? e.Groups[1].Value : null;
            var messageMatch = ErrorMessage().Match(rest);
            var message = messageMatch.Success ? Regex.Unescape(messageMatch.Groups[1].Value) : $"The transaction was refused ({code}).";
            int? index = Index().Match(message) is { Success: true } i ? int.Parse(i.Groups[1].Value, CultureInfo.InvariantCulture) : null;
            throw new TableTransactionFailedException(code, errorCode, $"{message} (status {code}, {errorCode})", index);
        }
    }

    [GeneratedRegex(@"^HTTP/1\.1 (\d{3})", RegexOptions.Multiline)]
    private static partial Regex StatusLine();

    [GeneratedRegex("\"code\"\\s*:\\s*\"([^\"]*)\"")]
    private static partial Regex ErrorCode();

    [GeneratedRegex("\"(?:value|message)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex ErrorMessage();

    [GeneratedRegex(@"^(\d+):")]
    private static partial Regex Index();
}
