namespace Qcdc.Attachments;

/// <summary>One file type a report may carry: its media type, the file name extensions it goes by, and the bytes it starts with.</summary>
public sealed record AttachmentType(string ContentType, IReadOnlyList<string> Extensions, IReadOnlyList<byte[]> Signatures)
{
    public bool StartsLikeThis(ReadOnlySpan<byte> head)
    {
        foreach (var signature in Signatures)
        {
            if (head.StartsWith(signature))
            {
                return true;
            }
        }
        return false;
    }

    public bool HasExtensionOf(string fileName) =>
        Extensions.Any(e => fileName.EndsWith(e, StringComparison.OrdinalIgnoreCase) && fileName.Length > e.Length);
}

/// <summary>
/// The file types reports carry: scanned or exported documents (PDF), photos (JPEG, PNG) and office files (DOCX,
/// XLSX). A file's first bytes must match its declared type. DOCX and XLSX are both ZIP packages, so their first
/// bytes tell them from anything else but not from each other.
/// </summary>
public static class AttachmentTypes
{
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];

    public static IReadOnlyList<AttachmentType> All { get; } =
    [
        new("application/pdf", [".pdf"], ["%PDF-"u8.ToArray()]),
        new("image/jpeg", [".jpg", ".jpeg"], [[0xFF, 0xD8, 0xFF]]),
        new("image/png", [".png"], [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]]),
        new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", [".docx"], [Zip]),
        new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [".xlsx"], [Zip]),
    ];

    /// <summary>The longest signature: how many leading bytes a check needs.</summary>
    public static int HeadLength { get; } = All.SelectMany(t => t.Signatures).Max(s => s.Length);

    /// <summary>The allowed type with this media type (parameters such as <c>; charset=</c> ignored), or null.</summary>
    public static AttachmentType? Find(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim();
        return All.FirstOrDefault(t => string.Equals(t.ContentType, mediaType, StringComparison.OrdinalIgnoreCase));
    }
}
