using System.Security.Cryptography;

namespace Qcdc.Attachments;

/// <summary>
/// A read-through stream that measures what passes: the byte count, the SHA-256 and the first bytes. It never
/// holds more than one read's buffer, so a file of any size is checked in constant memory. It reads at most
/// <paramref name="limit"/> bytes and then reports the end, so that an upload longer than its declaration stops
/// one byte past it.
/// </summary>
public sealed class ContentProbe(Stream inner, long limit) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _head = new byte[AttachmentTypes.HeadLength];
    private int _headLength;
    private string? _hash;

    /// <summary>Bytes read so far.</summary>
    public long Count { get; private set; }

    /// <summary>The first bytes read (up to <see cref="AttachmentTypes.HeadLength"/>).</summary>
    public ReadOnlySpan<byte> Head => _head.AsSpan(0, _headLength);

    /// <summary>The SHA-256 of everything read, in lower-case hex; call once the stream is drained.</summary>
    public string Sha256 => _hash ??= Convert.ToHexStringLower(_sha256.GetHashAndReset());

    /// <summary>Reads the rest of the inner stream (within the limit) through the probe.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (await ReadAsync(buffer, cancellationToken) > 0)
        {
        }
    }

    /// <summary>The first way the content differs from its declaration, or null if it matches.</summary>
    public RejectReason? Check(AttachmentDeclaration declared)
    {
        if (Count != declared.Size)
        {
            return RejectReason.SizeMismatch;
        }
        if (!string.Equals(Sha256, declared.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return RejectReason.HashMismatch;
        }
        return AttachmentTypes.Find(declared.ContentType)?.StartsLikeThis(Head) == true ? null : RejectReason.TypeMismatch;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var room = limit - Count;
        if (room <= 0)
        {
            return 0;
        }
        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, room)], cancellationToken);
        Observe(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var room = limit - Count;
        if (room <= 0)
        {
            return 0;
        }
        var read = inner.Read(buffer, offset, (int)Math.Min(count, room));
        Observe(buffer.AsSpan(offset, read));
        return read;
    }

    private void Observe(ReadOnlySpan<byte> data)
    {
        if (_headLength < _head.Length)
        {
            var take = Math.Min(_head.Length - _headLength, data.Length);
            data[..take].CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
        }
        _sha256.AppendData(data);
        Count += data.Length;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Count; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256.Dispose();
        }
        base.Dispose(disposing);
    }
}
