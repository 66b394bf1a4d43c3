using System.Buffers;

namespace Cairn.Protocol.Tests.Framing;

/// <summary>Builds multi-segment sequences so parsers are tested across buffer boundaries.</summary>
internal static class SegmentedSequence
{
    /// <summary>Splits <paramref name="bytes"/> into segments of at most <paramref name="segmentBytes"/> bytes.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, int segmentBytes)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment first = new(bytes.AsMemory(0, Math.Min(segmentBytes, bytes.Length)), 0);
        Segment last = first;
        for (int offset = segmentBytes; offset < bytes.Length; offset += segmentBytes)
        {
            last = last.Append(bytes.AsMemory(offset, Math.Min(segmentBytes, bytes.Length - offset)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
