using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qcdc.Forms;
using Qcdc.Localization;
using Qcdc.Periods;

namespace Qcdc.Rollups;

/// <summary>What one slot of a unit's figures holds: a plain value, a category, or one side of a ratio.</summary>
public enum SlotPart
{
    Value,
    Category,
    Numerator,
    Denominator,
}

/// <summary>One number of a unit's figures: the indicator it belongs to and which part of it.</summary>
public sealed record Slot(string Indicator, SlotPart Part, string? Category = null);

/// <summary>An indicator as a rollup sees it, with its slots and, for categories, the quarters each existed in.</summary>
public sealed record RollupIndicator(Indicator Indicator, int FirstSlot, int SlotCount)
{
    public bool IsFlow => Indicator.OverTime == TimeAggregation.Sum;

    /// <summary>Flows apportioned by a split unit's share: summed across the hierarchy and over time.</summary>
    public bool ScalesWithShare => Indicator.OverTime == TimeAggregation.Sum && Indicator.AcrossHierarchy == HierarchyAggregation.Sum;
}

/// <summary>
/// The numbers a rollup keeps for each unit, laid out as slots: every numeric indicator of every form version in
/// force during the period, categories merged (a category that exists in only part of the period is kept, and
/// noted), a ratio as numerator and denominator. Text is not aggregated and has no slot.
/// </summary>
public sealed class RollupSchema
{
    private readonly Dictionary<string, RollupIndicator> _byCode;
    private readonly Dictionary<string, int> _slotOf;
    private readonly Dictionary<string, RollupIndicator>.AlternateLookup<ReadOnlySpan<char>> _byName;
    /// <summary>Per indicator: the slot of each part a report names inside it (numerator, denominator, a category).</summary>
    private readonly Dictionary<string, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>> _parts;

    private RollupSchema(IReadOnlyList<RollupIndicator> indicators, IReadOnlyList<Slot> slots, IReadOnlyList<LocalizedText> notes, IReadOnlyList<int> versions)
    {
        Versions = versions;
        Indicators = indicators;
        Slots = slots;
        Notes = notes;
        _byCode = indicators.ToDictionary(i => i.Indicator.Code, StringComparer.Ordinal);
        _slotOf = slots.Select((s, i) => (Key: Key(s.Indicator, s.Part, s.Category), i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
        _byName = _byCode.GetAlternateLookup<ReadOnlySpan<char>>();
        _parts = indicators.ToDictionary(i => i.Indicator.Code, i => slots
            .Select((slot, index) => (slot, index))
            .Where(p => p.slot.Indicator == i.Indicator.Code && p.slot.Part != SlotPart.Value)
            .ToDictionary(p => p.slot.Part switch
            {
                SlotPart.Numerator => "numerator",
                SlotPart.Denominator => "denominator",
                _ => p.slot.Category!,
            }, p => p.index, StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>(), StringComparer.Ordinal);
    }

    public IReadOnlyList<RollupIndicator> Indicators { get; }

    /// <summary>The versions of the form in force in the period's quarters, oldest first.</summary>
    public IReadOnlyList<int> Versions { get; }

    public IReadOnlyList<Slot> Slots { get; }

    public int SlotCount => Slots.Count;

    /// <summary>Notes about the period as a whole, e.g. a category that exists in only part of it.</summary>
    public IReadOnlyList<LocalizedText> Notes { get; }

    public RollupIndicator? Find(string code) => _byCode.GetValueOrDefault(code);

    public int SlotOf(string indicator, SlotPart part, string? category = null) =>
        _slotOf.TryGetValue(Key(indicator, part, category), out var slot) ? slot : -1;

    /// <summary>The schema of indicators as a snapshot stored them (categories already merged).</summary>
    public static RollupSchema From(IReadOnlyList<Indicator> indicators, IReadOnlyList<LocalizedText> notes, IReadOnlyList<int> versions)
    {
        var result = new List<RollupIndicator>();
        var slots = new List<Slot>();
        foreach (var indicator in indicators)
        {
            var first = slots.Count;
            if (indicator.Type == IndicatorType.Ratio)
            {
                slots.Add(new Slot(indicator.Code, SlotPart.Numerator));
                slots.Add(new Slot(indicator.Code, SlotPart.Denominator));
            }
            else if (indicator.Categories.Count > 0)
            {
                slots.AddRange(indicator.Categories.Select(c => new Slot(indicator.Code, SlotPart.Category, c.Code)));
            }
            else
            {
                slots.Add(new Slot(indicator.Code, SlotPart.Value));
            }
            result.Add(new RollupIndicator(indicator, first, slots.Count - first));
        }
        return new RollupSchema(result, slots, notes, versions);
    }

    /// <summary>The schema of a period: the versions of the form in force in its quarters, merged (newest first).</summary>
    public static RollupSchema For(FormCatalog catalog, string form, Period period)
    {
        var inForce = period.Quarters().Select(q => (Quarter: q, Version: catalog.ForPeriod(form, q))).Where(v => v.Version is not null).ToList();
        return Merge(inForce.Select(v => (v.Quarter, v.Version!)).ToList());
    }

    /// <summary>Merges versions in force per quarter (oldest first): indicators and categories of the newest version first.</summary>
    public static RollupSchema Merge(IReadOnlyList<(Period Quarter, FormDefinition Version)> inForce)
    {
        var versions = inForce.Select(v => v.Version).DistinctBy(v => v.Version).OrderByDescending(v => v.Version).ToList();
        var indicators = new List<RollupIndicator>();
        var slots = new List<Slot>();
        var notes = new List<LocalizedText>();
        var codes = versions.SelectMany(v => v.Indicators.Select(i => i.Code)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var code in codes)
        {
            var indicator = versions.First(v => v.FindIndicator(code) is not null).FindIndicator(code)!;
            var first = slots.Count;
            switch (indicator.Type)
            {
                case IndicatorType.Text:
                    continue;
                case IndicatorType.Ratio:
                    slots.Add(new Slot(code, SlotPart.Numerator));
                    slots.Add(new Slot(code, SlotPart.Denominator));
                    break;
                case IndicatorType.Integer or IndicatorType.Decimal or IndicatorType.Money or IndicatorType.Boolean:
                    var categories = versions.SelectMany(v => v.FindIndicator(code)?.Categories ?? []).DistinctBy(c => c.Code).ToList();
                    if (categories.Count == 0)
                    {
                        slots.Add(new Slot(code, SlotPart.Value));
                        break;
                    }
                    indicator = indicator with { Categories = categories };
                    foreach (var category in categories)
                    {
                        slots.Add(new Slot(code, SlotPart.Category, category.Code));
                        var quarters = inForce.Where(v => v.Version.FindIndicator(code)?.Categories.Any(c => c.Code == category.Code) == true).Select(v => v.Quarter).ToList();
                        if (quarters.Count < inForce.Count && quarters.Count > 0)
                        {
                            notes.Add(RollupTexts.CategoryInPart.Format(indicator.Label, category.Label, code, category.Code, Span(quarters)));
                        }
                    }
                    break;
            }
            indicators.Add(new RollupIndicator(indicator, first, slots.Count - first));
        }
        return new RollupSchema(indicators, slots, notes, [.. versions.Select(v => v.Version).Order()]);
    }

    private static string Span(IReadOnlyList<Period> quarters) =>
        quarters.Count == 1 ? quarters[0].Key : $"{quarters[0].Key}–{quarters[^1].Key}";

    /// <summary>Reads a report's stored numbers (the JSON of its non-text values) into slots; unknown codes are ignored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Read(ReadOnlySpan<byte> json, Span<Int128> values, Span<bool> present)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }
        Span<char> name = stackalloc char[128];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var found = Lookup(ref reader, name, _byName, out var indicator);
            reader.Read();
            if (!found)
            {
                reader.Skip();
                continue;
            }
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    SetNumber(indicator!.FirstSlot, ref reader, values, present);
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    Set(indicator!.FirstSlot, reader.TokenType == JsonTokenType.True ? Micro.PerUnit : 0, values, present);
                    break;
                case JsonTokenType.StartObject:
                    var parts = _parts[indicator!.Indicator.Code];
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var known = Lookup(ref reader, name, parts, out var slot);
                        reader.Read();
                        if (!known || reader.TokenType != JsonTokenType.Number)
                        {
                            reader.Skip();
                            continue;
                        }
                        SetNumber(slot, ref reader, values, present);
                    }
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    private static bool Lookup<T>(ref Utf8JsonReader reader, scoped Span<char> buffer, Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> lookup, out T? value)
    {
        if (reader.ValueSpan.Length <= buffer.Length && !reader.ValueIsEscaped)
        {
            var length = Encoding.UTF8.GetChars(reader.ValueSpan, buffer);
            return lookup.TryGetValue(buffer[..length], out value);
        }
        return lookup.TryGetValue(reader.GetString(), out value);
    }

    private static void SetNumber(int slot, ref Utf8JsonReader reader, Span<Int128> values, Span<bool> present)
    {
        if (Micro.TryParse(reader.ValueSpan, out var micro))
        {
            Set(slot, micro, values, present);
        }
    }

    /// <summary>Reads a report's numbers given as a JSON object (tests and tools).</summary>
    public void Read(JsonObject json, Span<Int128> values, Span<bool> present) =>
        Read(Encoding.UTF8.GetBytes(json.ToJsonString()), values, present);

    /// <summary>
    /// One unit's numbers in the API's shapes: a number; categories with their <c>total</c>; a ratio with its
    /// <c>value</c> (numerator ÷ denominator). Indicators with no number are left out.
    /// </summary>
    public JsonObject ToJson(ReadOnlySpan<Int128> values, ReadOnlySpan<bool> present, Func<RollupIndicator, decimal, decimal>? display = null)
    {
        var result = new JsonObject();
        foreach (var indicator in Indicators)
        {
            var slots = values.Slice(indicator.FirstSlot, indicator.SlotCount);
            var has = present.Slice(indicator.FirstSlot, indicator.SlotCount);
            if (!has.Contains(true))
            {
                continue;
            }
            decimal Shown(Int128 micro) => display is null ? Micro.ToDecimal(micro) : display(indicator, Micro.ToDecimal(micro));
            var definition = indicator.Indicator;
            if (definition.Type == IndicatorType.Ratio)
            {
                var ratio = new JsonObject { ["numerator"] = Shown(slots[0]), ["denominator"] = Shown(slots[1]) };
                if (slots[1] != 0)
                {
                    ratio["value"] = decimal.Round(Micro.ToDecimal(slots[0]) / Micro.ToDecimal(slots[1]), 6);
                }
                result[definition.Code] = ratio;
            }
            else if (definition.Categories.Count > 0)
            {
                var categories = new JsonObject();
                for (var i = 0; i < definition.Categories.Count; i++)
                {
                    if (has[i])
                    {
                        categories[definition.Categories[i].Code] = Shown(slots[i]);
                    }
                }
                Int128 total = 0;
                for (var i = 0; i < slots.Length; i++)
                {
                    total += has[i] ? slots[i] : 0;
                }
                categories["total"] = Shown(total);
                result[definition.Code] = categories;
            }
            else
            {
                result[definition.Code] = definition.Type == IndicatorType.Boolean && definition.AcrossHierarchy == HierarchyAggregation.None
                    ? JsonValue.Create(slots[0] != 0)
                    : JsonValue.Create(Shown(slots[0]));
            }
        }
        return result;
    }

    private static void Set(int slot, Int128 value, Span<Int128> values, Span<bool> present)
    {
        values[slot] = value;
        present[slot] = true;
    }

    private static string Key(string indicator, SlotPart part, string? category) => $"{indicator}/{part}/{category}";
}
