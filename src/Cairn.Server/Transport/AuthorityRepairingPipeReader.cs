using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.InteropServices;

namespace Cairn.Server.Transport;

/// <summary>
/// The inbound side of an HTTP/2 connection as Kestrel reads it, with each HEADERS frame passed through
/// <see cref="Http2AuthorityRepair"/> once, in place, before Kestrel sees it. Only frame headers are inspected
/// otherwise; no bytes are copied unless a header block spans buffer segments.
/// </summary>
internal sealed class AuthorityRepairingPipeReader(PipeReader inner) : PipeReader
{
    private const int FrameHeaderBytes = 9;
    private const byte HeadersFrameType = 0x1;
    private const byte PaddedFlag = 0x8;
    private const byte PriorityFlag = 0x20;

    private ReadOnlySequence<byte> _lastBuffer;
    private long _bufferStartOffset;

    // The connection starts with the 24-byte client preface; frames follow it.
    private long _nextFrameOffset = Http2Preface.Length;

    /// <inheritdoc />
    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ReadResult result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        Inspect(result.Buffer);
        return result;
    }

    /// <inheritdoc />
    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        Inspect(result.Buffer);
        return true;
    }

    /// <inheritdoc />
    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    /// <inheritdoc />
    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _bufferStartOffset += _lastBuffer.Slice(_lastBuffer.Start, consumed).Length;
        _lastBuffer = default;
        inner.AdvanceTo(consumed, examined);
    }

    /// <inheritdoc />
    public override void CancelPendingRead() => inner.CancelPendingRead();

    /// <inheritdoc />
    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    /// <inheritdoc />
    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    private void Inspect(ReadOnlySequence<byte> buffer)
    {
        _lastBuffer = buffer;
        Span<byte> header = stackalloc byte[FrameHeaderBytes];
        while (true)
        {
            long frameStart = _nextFrameOffset - _bufferStartOffset;
            if (frameStart < 0 || frameStart + FrameHeaderBytes > buffer.Length)
            {
                return;
            }

            buffer.Slice(frameStart, FrameHeaderBytes).CopyTo(header);
            int payloadBytes = (header[0] << 16) | BinaryPrimitives.ReadUInt16BigEndian(header[1..]);
            if (header[3] == HeadersFrameType)
            {
                if (frameStart + FrameHeaderBytes + payloadBytes > buffer.Length)
                {
                    return; // Kestrel waits for the whole frame too; it comes back with more bytes.
                }

                RepairHeadersPayload(buffer.Slice(frameStart + FrameHeaderBytes, payloadBytes), header[4]);
            }

            _nextFrameOffset += FrameHeaderBytes + payloadBytes;
        }
    }

    private static void RepairHeadersPayload(ReadOnlySequence<byte> payload, byte flags)
    {
        if (payload.IsSingleSegment)
        {
            RepairHeadersPayload(MemoryMarshal.AsMemory(payload.First).Span, flags);
            return;
        }

        byte[] copy = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        try
        {
            Span<byte> contiguous = copy.AsSpan(0, (int)payload.Length);
            payload.CopyTo(contiguous);
            if (RepairHeadersPayload(contiguous, flags) == 0)
            {
                return;
            }

            foreach (ReadOnlyMemory<byte> segment in payload)
            {
                contiguous[..segment.Length].CopyTo(MemoryMarshal.AsMemory(segment).Span);
                contiguous = contiguous[segment.Length..];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static int RepairHeadersPayload(Span<byte> payload, byte flags)
    {
        int start = 0;
        int end = payload.Length;
        if ((flags & PaddedFlag) != 0)
        {
            if (payload.Length == 0)
            {
                return 0;
            }

            start = 1;
            end -= payload[0];
        }

        if ((flags & PriorityFlag) != 0)
        {
            start += 5;
        }

        return start < end ? Http2AuthorityRepair.RepairHeaderBlock(payload[start..end]) : 0;
    }
}
