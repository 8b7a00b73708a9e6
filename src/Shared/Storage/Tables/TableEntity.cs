using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Azure;

namespace Qcdc.Storage.Tables;

/// <summary>
/// One row of a table: its keys and its properties by name. Values are strings, <see cref="int"/>,
/// <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="DateTimeOffset"/>, <see cref="Guid"/> or
/// <see cref="byte"/> arrays — the types the Table service stores. A missing property reads as null.
/// </summary>
public sealed class TableEntity : IDictionary<string, object?>
{
    public const string PartitionKeyName = "PartitionKey";
    public const string RowKeyName = "RowKey";
    public const string TimestampName = "Timestamp";

    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal);

    public TableEntity()
    {
    }

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey
    {
        get => GetString(PartitionKeyName) ?? "";
        set => _properties[PartitionKeyName] = value;
    }

    public string RowKey
    {
        get => GetString(RowKeyName) ?? "";
        set => _properties[RowKeyName] = value;
    }

    /// <summary>When the service last wrote the row (read only; never sent).</summary>
    public DateTimeOffset? Timestamp => GetDateTimeOffset(TimestampName);

    /// <summary>The row's version as last read or written; <c>default</c> for a row never read.</summary>
    public ETag ETag { get; set; }

    public object? this[string key]
    {
        get => _properties.GetValueOrDefault(key);
        set => _properties[key] = value;
    }

    /// <summary>The text value; null when the property is missing (typed non-null, as the callers rely on the properties they wrote).</summary>
    public string GetString(string key) => this[key] switch
    {
        null => null!,
        string s => s,
        var other => throw Mismatch(key, other, "string"),
    };

    public int? GetInt32(string key) => this[key] switch
    {
        null => null,
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        var other => throw Mismatch(key, other, "Int32"),
    };

    public long? GetInt64(string key) => this[key] switch
    {
        null => null,
        long l => l,
        int i => i,
        var other => throw Mismatch(key, other, "Int64"),
    };

    public double? GetDouble(string key) => this[key] switch
    {
        null => null,
        double d => d,
        int i => i,
        long l => l,
        var other => throw Mismatch(key, other, "Double"),
    };

    public bool? GetBoolean(string key) => this[key] switch
    {
        null => null,
        bool b => b,
        var other => throw Mismatch(key, other, "Boolean"),
    };

    public DateTimeOffset? GetDateTimeOffset(string key) => this[key] switch
    {
        null => null,
        DateTimeOffset d => d,
        DateTime d => TableJson.ToDateTimeOffset(d),
        var other => throw Mismatch(key, other, "DateTime"),
    };

    public Guid? GetGuid(string key) => this[key] switch
    {
        null => null,
        Guid g => g,
        var other => throw Mismatch(key, other, "Guid"),
    };

    public byte[]? GetBinary(string key) => this[key] switch
    {
        null => null,
        byte[] b => b,
        var other => throw Mismatch(key, other, "Binary"),
    };

    private static InvalidOperationException Mismatch(string key, object value, string wanted) =>
        new($"Property '{key}' holds a {value.GetType().Name}, not a {wanted}.");

    public ICollection<string> Keys => _properties.Keys;

    public ICollection<object?> Values => _properties.Values;

    public int Count => _properties.Count;

    public bool IsReadOnly => false;

    public void Add(string key, object? value) => _properties.Add(key, value);

    public void Add(KeyValuePair<string, object?> item) => _properties.Add(item.Key, item.Value);

    public bool ContainsKey(string key) => _properties.ContainsKey(key);

    public bool Contains(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Contains(item);

    public bool Remove(string key) => _properties.Remove(key);

    public bool Remove(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Remove(item);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => _properties.TryGetValue(key, out value);

    public void Clear() => _properties.Clear();

    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<string, object?>>)_properties).CopyTo(array, arrayIndex);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
