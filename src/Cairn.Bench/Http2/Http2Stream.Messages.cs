using System.Buffers.Binary;
using System.Threading.Channels;

namespace Cairn.Bench.Http2;

/// <summary>The response side of streaming calls: complete gRPC messages are queued for the reader one by one.</summary>
internal sealed partial class Http2Stream
{
    private Channel<byte[]>? _messages;
    private byte[] _partial = [];
    private int _partialBytes;
    private long _queuedBytes;
    private int _maxQueuedBytes;

    /// <summary>Takes the next response message of a streaming call if one has arrived.</summary>
    public bool TryReadMessage(out byte[] message)
    {
        if (_messages!.Reader.TryRead(out message!))
        {
            Interlocked.Add(ref _queuedBytes, -message.Length);
            return true;
        }

        return false;
    }

    /// <summary>Waits until a message can be read (true) or the call ended and every message was read (false).</summary>
    public ValueTask<bool> WaitForMessageAsync(CancellationToken cancellationToken = default) =>
        _messages!.Reader.WaitToReadAsync(cancellationToken);

    // A DATA payload of a streaming call. Returns false when the reader fell too far behind (the caller resets the stream).
    internal bool OnStreamingData(ReadOnlySpan<byte> data, int maxMessageBytes, out string? error)
    {
        error = null;
        AppendPartial(data);
        int start = 0;
        while (_partialBytes - start >= GrpcPrefixBytes)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(_partial.AsSpan(start + 1));
            if (_partial[start] != 0 || length > (uint)maxMessageBytes)
            {
                error = _partial[start] != 0
                    ? "grpc: compressed streaming messages are not supported by this client"
                    : $"grpc: received message larger than max ({length} vs. {maxMessageBytes})";
                return false;
            }

            if (_partialBytes - start - GrpcPrefixBytes < length)
            {
                break;
            }

            byte[] message = _partial.AsSpan(start + GrpcPrefixBytes, (int)length).ToArray();
            start += GrpcPrefixBytes + (int)length;
            if (Interlocked.Add(ref _queuedBytes, message.Length) > _maxQueuedBytes)
            {
                error = $"the reader of stream {Id} fell more than {_maxQueuedBytes} bytes behind";
                return false;
            }

            _messages!.Writer.TryWrite(message);
        }

        _partial.AsSpan(start, _partialBytes - start).CopyTo(_partial);
        _partialBytes -= start;
        return true;
    }

    private void AppendPartial(ReadOnlySpan<byte> data)
    {
        if (_partialBytes + data.Length > _partial.Length)
        {
            Array.Resize(ref _partial, Math.Max(_partialBytes + data.Length, Math.Max(1024, _partial.Length * 2)));
        }

        data.CopyTo(_partial.AsSpan(_partialBytes));
        _partialBytes += data.Length;
    }

    private void PrepareMessageQueue(int maxQueuedBytes)
    {
        _maxQueuedBytes = maxQueuedBytes;
        _messages = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = true,
            // The reader's continuation runs on the read loop, like unary completions.
            AllowSynchronousContinuations = true,
        });
    }

    private void CompleteMessageQueue() => _messages?.Writer.TryComplete();

    private void ResetMessageQueue()
    {
        _messages = null;
        _partial = [];
        _partialBytes = 0;
        _queuedBytes = 0;
    }
}
