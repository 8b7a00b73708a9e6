using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Qcdc.Rollups;

// The snapshot format's primitives, written to a buffer and read back from a span: bytes, variable-length integers,
// length-prefixed bytes and UTF-8 strings, bit sets, and a number section (a presence bitmap, then each present
// figure as one variable-length integer of its zig-zag mantissa and decimal scale).
public static partial class RollupSnapshotCodec
{
    private readonly struct Writer(ArrayBufferWriter<byte> output)
    {
        public void Byte(byte value)
        {
            output.GetSpan(1)[0] = value;
            output.Advance(1);
        }

        public void Long(long value) => VarInt((ulong)value);

        public void Int(int value) => VarInt((uint)value);

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            Int(bytes.Length);
            output.Write(bytes);
        }

        public void String(string text)
        {
            var span = output.GetSpan(5 + Encoding.UTF8.GetMaxByteCount(text.Length));
            var length = Encoding.UTF8.GetBytes(text, span[5..]);
            var prefix = WriteVarInt(span, (uint)length);
            if (prefix != 5)
            {
                span.Slice(5, length).CopyTo(span[prefix..]);
            }
            output.Advance(prefix + length);
        }

        public void Bits(ReadOnlySpan<bool> bits)
        {
            var span = output.GetSpan((bits.Length + 7) / 8);
            var count = WriteBits(span, bits);
            output.Advance(count);
        }

        public void Numbers(ReadOnlySpan<Int128> values, ReadOnlySpan<bool> present)
        {
            var span = output.GetSpan((present.Length + 7) / 8 + values.Length * 20);
            var at = WriteBits(span, present);
            for (var i = 0; i < values.Length; i++)
            {
                if (present[i])
                {
                    at += WriteNumber(span[at..], values[i]);
                }
            }
            output.Advance(at);
        }

        private void VarInt(ulong value)
        {
            var span = output.GetSpan(10);
            output.Advance(WriteVarInt(span, value));
        }

        private static int WriteBits(Span<byte> span, ReadOnlySpan<bool> bits)
        {
            var count = (bits.Length + 7) / 8;
            for (var b = 0; b < count; b++)
            {
                byte value = 0;
                var start = b * 8;
                var end = Math.Min(start + 8, bits.Length);
                for (var i = start; i < end; i++)
                {
                    value |= (byte)(bits[i] ? 1 << (i - start) : 0);
                }
                span[b] = value;
            }
            return count;
        }

        private static int WriteVarInt(Span<byte> span, ulong value)
        {
            var i = 0;
            while (value >= 0x80)
            {
                span[i++] = (byte)(value | 0x80);
                value >>= 7;
            }
            span[i++] = (byte)value;
            return i;
        }

        /// <summary>
        /// A number of millionths as its zig-zag mantissa × 8 + the trailing zeros taken off (0 to 6) in one
        /// variable-length integer: 57 (57,000,000 millionths) is 57 × 10^6, two bytes. Beyond 60 bits, the marker 7
        /// and the 16 bytes in full.
        /// </summary>
        private static int WriteNumber(Span<byte> span, Int128 value)
        {
            if (value >= long.MinValue && value <= long.MaxValue)
            {
                var mantissa = (long)value;
                var zeros = 0;
                if (mantissa != 0)
                {
                    while (zeros < 6 && mantissa % 10 == 0)
                    {
                        mantissa /= 10;
                        zeros++;
                    }
                }
                var zigzag = (ulong)((mantissa << 1) ^ (mantissa >> 63));
                if (zigzag < 1UL << 60)
                {
                    return WriteVarInt(span, (zigzag << 3) | (uint)zeros);
                }
            }
            var at = WriteVarInt(span, 7);
            BinaryPrimitives.WriteInt128LittleEndian(span[at..], value);
            return at + 16;
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> input)
    {
        private readonly ReadOnlySpan<byte> _input = input;
        private int _at;

        public byte Byte() => _input[_at++];

        public int Int() => checked((int)VarInt());

        public long Long() => (long)VarInt();

        public ReadOnlySpan<byte> Bytes()
        {
            var length = Int();
            var bytes = _input.Slice(_at, length);
            _at += length;
            return bytes;
        }

        public string String() => Encoding.UTF8.GetString(Bytes());

        public void Bits(Span<bool> bits)
        {
            var count = (bits.Length + 7) / 8;
            for (var b = 0; b < count; b++)
            {
                var value = _input[_at++];
                var start = b * 8;
                var end = Math.Min(start + 8, bits.Length);
                for (var i = start; i < end; i++)
                {
                    bits[i] = (value & (1 << (i - start))) != 0;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Numbers(Span<Int128> values, Span<bool> present)
        {
            var length = values.Length;
            var input = _input;
            var at = _at;
            var bitmap = at;
            at += (length + 7) >> 3;
            for (var i = 0; i < length; i++)
            {
                if ((input[bitmap + (i >> 3)] & (1 << (i & 7))) == 0)
                {
                    present[i] = false;
                    values[i] = 0;
                    continue;
                }
                present[i] = true;
                ulong packed = input[at];
                if (packed < 0x80)
                {
                    at++;
                }
                else if (input[at + 1] < 0x80)
                {
                    packed = (packed & 0x7F) | ((ulong)input[at + 1] << 7);
                    at += 2;
                }
                else
                {
                    _at = at;
                    packed = VarInt();
                    at = _at;
                }
                var zeros = (int)(packed & 7);
                if (zeros == 7)
                {
                    values[i] = BinaryPrimitives.ReadInt128LittleEndian(input.Slice(at, 16));
                    at += 16;
                    continue;
                }
                var zigzag = packed >> 3;
                var mantissa = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
                var high = Math.BigMul(mantissa, Powers[zeros], out var low);
                values[i] = new Int128((ulong)high, (ulong)low);
            }
            _at = at;
        }

        private ulong VarInt()
        {
            ulong result = 0;
            var shift = 0;
            while (true)
            {
                var b = _input[_at++];
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return result;
                }
                shift += 7;
                if (shift > 63)
                {
                    throw new InvalidDataException("A malformed number in a rollup snapshot.");
                }
            }
        }
    }
}
