namespace Qcdc.Submissions;

/// <summary>An entity tag as a header carries it: its quoted form (<c>"3"</c>) and whether it was weak (<c>W/"3"</c>).</summary>
public sealed record EntityTag(string Quoted, bool Weak);

/// <summary>The list form of <c>If-Match</c> and <c>If-None-Match</c> (RFC 9110 §8.8.3: <c>1#entity-tag</c>).</summary>
public static class EntityTags
{
    /// <summary>The tags of a header value, or null when it is not a well-formed list (an empty element is allowed, as the list rule allows).</summary>
    public static IReadOnlyList<EntityTag>? Parse(string value)
    {
        var tags = new List<EntityTag>();
        var i = 0;
        while (true)
        {
            while (i < value.Length && value[i] is ' ' or '\t' or ',')
            {
                i++;
            }
            if (i == value.Length)
            {
                return tags.Count > 0 ? tags : null;
            }
            var weak = string.CompareOrdinal(value, i, "W/", 0, 2) == 0;
            if (weak)
            {
                i += 2;
            }
            if (i >= value.Length || value[i] != '"')
            {
                return null;
            }
            var end = i + 1;
            // etagc = %x21 / %x23-7E / obs-text: anything visible but a double quote.
            while (end < value.Length && value[end] != '"' && (value[end] == 0x21 || value[end] >= 0x23) && value[end] != 0x7F)
            {
                end++;
            }
            if (end >= value.Length || value[end] != '"')
            {
                return null;
            }
            tags.Add(new EntityTag(value[i..(end + 1)], weak));
            i = end + 1;
            while (i < value.Length && value[i] is ' ' or '\t')
            {
                i++;
            }
            if (i < value.Length && value[i] != ',')
            {
                return null;
            }
        }
    }
}
