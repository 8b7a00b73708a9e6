using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;

namespace Qcdc.Storage.Tables;

/// <summary>
/// The Table service's JSON form of an entity (OData v3, minimal metadata): values whose JSON type does not say
/// their Table type carry an <c>@odata.type</c> annotation, written and read without reflection.
/// </summary>
internal static class TableJson
{
    private const string TypeSuffix = "@odata.type";
    private const string DateTimeFormat = "yyyy-MM-ddTHH:mm:ss.fffffffZ";

    public static byte[] Write(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, entity);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in entity)
        {
            if (name == TableEntity.TimestampName)
            {
                continue;
            }
            switch (value)
            {
                case null:
                    writer.WriteNull(name);
                    break;
                case string s:
                    writer.WriteString(name, s);
                    break;
                case int i:
                    writer.WriteNumber(name, i);
                    break;
                case bool b:
                    writer.WriteBoolean(name, b);
                    break;
                case long l:
                    writer.WriteString(name + TypeSuffix, "Edm.Int64");
                    writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    writer.WriteString(name + TypeSuffix, "Edm.Double");
                    if (double.IsFinite(d))
                    {
                        writer.WriteNumber(name, d);
                    }
                    else
                    {
                        writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                    }
                    break;
                case DateTimeOffset t:
                    writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                    writer.WriteString(name, FormatDateTime(t));
                    break;
                case DateTime t:
                    writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                    writer.WriteString(name, FormatDateTime(ToDateTimeOffset(t)));
                    break;
                case Guid g:
                    writer.WriteString(name + TypeSuffix, "Edm.Guid");
                    writer.WriteString(name, g.ToString("D"));
                    break;
                case byte[] bytes:
                    writer.WriteString(name + TypeSuffix, "Edm.Binary");
                    writer.WriteBase64String(name, bytes);
                    break;
                case BinaryData data:
                    writer.WriteString(name + TypeSuffix, "Edm.Binary");
                    writer.WriteBase64String(name, data.ToMemory().Span);
                    break;
                default:
                    throw new NotSupportedException($"Property '{name}' is a {value.GetType().Name}, which a table cannot store.");
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>A time without a zone is taken as UTC, as the service takes it.</summary>
    public static DateTimeOffset ToDateTimeOffset(DateTime value) =>
        new(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime());

    public static string FormatDateTime(DateTimeOffset value) => value.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>One entity (a point read).</summary>
    public static TableEntity ReadEntity(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return ReadObject(ref reader);
    }

    /// <summary>The entities of a query page (<c>{"value":[…]}</c>).</summary>
    public static List<TableEntity> ReadPage(ReadOnlySpan<byte> json)
    {
        var entities = new List<TableEntity>();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isValue = reader.ValueTextEquals("value"u8);
            reader.Read();
            if (isValue && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    entities.Add(ReadObject(ref reader));
                }
            }
            else
            {
                reader.Skip();
            }
        }
        return entities;
    }

    /// <summary>The table names of a table listing (<c>{"value":[{"TableName":…}]}</c>).</summary>
    public static List<string> ReadTableNames(ReadOnlySpan<byte> json) =>
        [.. ReadPage(json).Select(e => e.GetString("TableName")).OfType<string>()];

    private static TableEntity ReadObject(ref Utf8JsonReader reader)
    {
        var entity = new TableEntity();
        Dictionary<string, string>? types = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (name.EndsWith(TypeSuffix, StringComparison.Ordinal))
            {
                (types ??= new(StringComparer.Ordinal))[name[..^TypeSuffix.Length]] = reader.GetString() ?? "";
                continue;
            }
            if (name.StartsWith("odata.", StringComparison.Ordinal))
            {
                if (name == "odata.etag" && reader.TokenType == JsonTokenType.String)
                {
                    entity.ETag = new ETag(reader.GetString()!);
                }
                else
                {
                    reader.Skip();
                }
                continue;
            }
            if (name == TableEntity.TimestampName && reader.TokenType == JsonTokenType.String)
            {
                // The service may leave the row's own time without its type annotation.
                (types ??= new(StringComparer.Ordinal))[name] = "Edm.DateTime";
            }
            entity[name] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.Null => null,
                JsonTokenType.Number => ReadNumber(ref reader),
                _ => SkipUnknown(ref reader),
            };
        }
        if (types is not null)
        {
            foreach (var (name, type) in types)
            {
                entity[name] = Convert(entity[name], type);
            }
        }
        return entity;
    }

    private static object? SkipUnknown(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    private static object ReadNumber(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            if (reader.TryGetInt32(out var i))
            {
                return i;
            }
            if (reader.TryGetInt64(out var l))
            {
                return l;
            }
        }
        return reader.GetDouble();
    }

    private static object? Convert(object? value, string type) => (value, type) switch
    {
        (null, _) => null,
        (string s, "Edm.DateTime") => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        (string s, "Edm.Int64") => long.Parse(s, CultureInfo.InvariantCulture),
        (string s, "Edm.Guid") => Guid.Parse(s),
        (string s, "Edm.Binary") => System.Convert.FromBase64String(s),
        (string s, "Edm.Double") => s switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => double.Parse(s, CultureInfo.InvariantCulture),
        },
        (int i, "Edm.Double") => (double)i,
        (long l, "Edm.Double") => (double)l,
        (int i, "Edm.Int64") => (long)i,
        _ => value,
    };

    /// <summary>A filter with its holes filled as OData literals: <c>PartitionKey eq {p}</c> → <c>PartitionKey eq 'p'</c>.</summary>
    public static string Filter(FormattableString filter)
    {
        var args = filter.GetArguments().Select(Literal).ToArray<object?>();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, args);
    }

    private static string Literal(object? value) => value switch
    {
        null => "null",
        string s => $"'{s.Replace("'", "''", StringComparison.Ordinal)}'",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset t => $"datetime'{FormatDateTime(t)}'",
        DateTime t => $"datetime'{FormatDateTime(ToDateTimeOffset(t))}'",
        Guid g => $"guid'{g:D}'",
        _ => throw new NotSupportedException($"A {value.GetType().Name} cannot be written in a table filter."),
    };

    public static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

}

/// <summary>
/// Reads a refusal of the Table service — <c>{"odata.error":{"code":…,"message":{"value":…}}}</c>, or the
/// <c>x-ms-error-code</c> header — so that <see cref="RequestFailedException.ErrorCode"/> names it (TableNotFound, …).
/// </summary>
internal sealed class TableErrorParser : RequestFailedDetailsParser
{
    public static readonly TableErrorParser Instance = new();

    public static RequestFailedException Failed(Response response) => new(response, null, Instance);

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        string? code = response.Headers.TryGetValue("x-ms-error-code", out var header) ? header : null;
        string? message = null;
        try
        {
            var content = response.Content?.ToMemory() ?? ReadOnlyMemory<byte>.Empty;
            if (!content.IsEmpty && content.Span[0] == (byte)'{')
            {
                using var json = JsonDocument.Parse(content);
                if (json.RootElement.TryGetProperty("odata.error", out var odata) || json.RootElement.TryGetProperty("error", out odata))
                {
                    if (odata.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String)
                    {
                        code ??= c.GetString();
                    }
                    if (odata.TryGetProperty("message", out var m))
                    {
                        message = m.ValueKind == JsonValueKind.String ? m.GetString()
                            : m.TryGetProperty("value", out var v) ? v.GetString() : null;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // An unreadable body still leaves the status and the header's code.
        }
        error = code is null && message is null ? null : new ResponseError(code, message ?? code);
        return error is not null;
    }
}
