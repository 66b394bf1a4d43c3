using System.Buffers.Binary;
using System.Net.Sockets;
using Cairn.Bench.Hpack;
using Cairn.Protocol.Grpc;

namespace Cairn.Bench.Http2;

/// <summary>
/// The read loop: reads as much as the socket has, processes every complete frame (completing calls inline), then
/// writes whatever those completions and the protocol queued (ACKs, WINDOW_UPDATEs, next requests) in one go.
/// </summary>
internal sealed partial class Http2Connection
{
    private readonly HpackDecoder _decoder;
    private byte[] _headerBlock = new byte[4096];
    private int _headerBlockBytes;
    private int _headerBlockStreamId; // non-zero while CONTINUATION frames are expected
    private bool _headerBlockEndsStream;
    private long _connectionReceivedSinceUpdate;

    private async Task ReadLoopAsync()
    {
        byte[] buffer = new byte[Math.Max(_options.ReadBufferBytes, 2 * (Http2Wire.DefaultMaxFrameBytes + Http2Wire.FrameHeaderBytes))];
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                if (buffer.Length - end < Http2Wire.DefaultMaxFrameBytes + Http2Wire.FrameHeaderBytes)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }

                int received = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    Abort($"{Authority} closed the connection");
                    return;
                }

                end += received;
                start = ProcessFrames(buffer, start, end);
                if (start == end)
                {
                    start = end = 0;
                }

                await FlushAfterBatchAsync().ConfigureAwait(false);
            }
        }
        catch (Http2ProtocolException exception)
        {
            SendGoAwayBestEffort(exception.Code);
            Abort($"HTTP/2 protocol error from {Authority}: {exception.Message}");
        }
        catch (HpackException exception)
        {
            SendGoAwayBestEffort(Http2ErrorCode.CompressionError);
            Abort($"HTTP/2 header compression error from {Authority}: {exception.Message}");
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or IOException)
        {
            Abort($"reading from {Authority} failed: {exception.Message}");
        }
        catch (Exception exception)
        {
            // A bug in this client: fail every call loudly rather than leave them waiting on a dead read loop.
            Abort($"the benchmark's HTTP/2 read loop failed: {exception.GetType().Name}: {exception.Message}");
        }
    }

    private async ValueTask FlushAfterBatchAsync()
    {
        bool flush;
        lock (_lock)
        {
            flush = !_flushing && _pendingBytes > 0 && _closed is null;
            _flushing |= flush;
        }

        if (flush)
        {
            await FlushLoopAsync().ConfigureAwait(false);
        }
    }

    // Returns the offset of the first byte not yet processed (the start of an incomplete frame).
    private int ProcessFrames(byte[] buffer, int start, int end)
    {
        Http2Connection? outer = t_dispatching;
        t_dispatching = this;
        try
        {
            while (end - start >= Http2Wire.FrameHeaderBytes)
            {
                ReadOnlySpan<byte> header = buffer.AsSpan(start, Http2Wire.FrameHeaderBytes);
                int length = Http2Wire.ReadPayloadLength(header);
                if (length > Http2Wire.DefaultMaxFrameBytes)
                {
                    // We never raise SETTINGS_MAX_FRAME_SIZE, so the server may not send more.
                    throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, $"frame of {length} bytes exceeds 16384");
                }

                if (end - start < Http2Wire.FrameHeaderBytes + length)
                {
                    break;
                }

                var type = (Http2FrameType)header[3];
                byte flags = header[4];
                int streamId = Http2Wire.ReadStreamId(header);
                ProcessFrame(type, flags, streamId, buffer.AsSpan(start + Http2Wire.FrameHeaderBytes, length));
                start += Http2Wire.FrameHeaderBytes + length;
            }

            return start;
        }
        finally
        {
            t_dispatching = outer;
        }
    }

    private void ProcessFrame(Http2FrameType type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        if (_headerBlockStreamId != 0 && type != Http2FrameType.Continuation)
        {
            throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"{type} frame inside a header block (CONTINUATION expected)");
        }

        switch (type)
        {
            case Http2FrameType.Data: OnData(flags, streamId, payload); break;
            case Http2FrameType.Headers: OnHeaders(flags, streamId, payload); break;
            case Http2FrameType.Continuation: OnContinuation(flags, streamId, payload); break;
            case Http2FrameType.RstStream: OnRstStream(streamId, payload); break;
            case Http2FrameType.Settings: OnSettings(flags, streamId, payload); break;
            case Http2FrameType.Ping: OnPing(flags, payload); break;
            case Http2FrameType.GoAway: OnGoAway(payload); break;
            case Http2FrameType.WindowUpdate: OnWindowUpdate(streamId, payload); break;
            case Http2FrameType.PushPromise:
                throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "PUSH_PROMISE received although push is disabled");
            default:
                break; // PRIORITY and unknown frame types are ignored (RFC 9113 §4.1, §5.5)
        }
    }

    private void OnData(byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        int flowControlled = payload.Length;
        ReadOnlySpan<byte> data = RemovePadding(flags, payload);
        Http2Stream? stream = CreditConnectionAndFind(streamId, flowControlled);
        if (stream is null)
        {
            return; // a stream we reset or already finished: its bytes only count for the connection window
        }

        string? streamError = null;
        if (stream.IsStreaming)
        {
            stream.OnStreamingData(data, _options.MaxResponseMessageBytes, out streamError);
        }
        else
        {
            stream.OnUnaryData(data, _options.MaxResponseMessageBytes);
        }

        bool endStream = (flags & Http2Flags.EndStream) != 0;
        if (streamError is not null)
        {
            FailStream(stream, GrpcStatusCode.ResourceExhausted, streamError);
        }
        else if (endStream)
        {
            EndStreamFromServer(stream);
        }
        else
        {
            CreditStream(stream, flowControlled);
        }
    }

    private Http2Stream? CreditConnectionAndFind(int streamId, int flowControlled)
    {
        lock (_lock)
        {
            _connectionReceivedSinceUpdate += flowControlled;
            if (_connectionReceivedSinceUpdate >= _options.ConnectionWindowBytes / 2)
            {
                WriteWindowUpdateLocked(0, (int)_connectionReceivedSinceUpdate);
                _connectionReceivedSinceUpdate = 0;
            }

            return _streams.GetValueOrDefault(streamId);
        }
    }

    private void CreditStream(Http2Stream stream, int flowControlled)
    {
        stream.ReceivedSinceWindowUpdate += flowControlled;
        if (stream.ReceivedSinceWindowUpdate >= _options.InitialStreamWindowBytes / 2)
        {
            lock (_lock)
            {
                WriteWindowUpdateLocked(stream.Id, stream.ReceivedSinceWindowUpdate);
            }

            stream.ReceivedSinceWindowUpdate = 0;
        }
    }

    private void OnHeaders(byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        if (streamId == 0)
        {
            throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "HEADERS on stream 0");
        }

        ReadOnlySpan<byte> fragment = RemovePadding(flags, payload);
        if ((flags & Http2Flags.Priority) != 0)
        {
            fragment = fragment.Length >= 5 ? fragment[5..] : throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, "HEADERS too short for its priority fields");
        }

        bool endStream = (flags & Http2Flags.EndStream) != 0;
        if ((flags & Http2Flags.EndHeaders) != 0)
        {
            OnHeaderBlock(streamId, fragment, endStream);
            return;
        }

        _headerBlockStreamId = streamId;
        _headerBlockEndsStream = endStream;
        _headerBlockBytes = 0;
        AppendHeaderFragment(fragment);
    }

    private void OnContinuation(byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        if (_headerBlockStreamId == 0 || streamId != _headerBlockStreamId)
        {
            throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "unexpected CONTINUATION frame");
        }

        AppendHeaderFragment(payload);
        if ((flags & Http2Flags.EndHeaders) != 0)
        {
            _headerBlockStreamId = 0;
            OnHeaderBlock(streamId, _headerBlock.AsSpan(0, _headerBlockBytes), _headerBlockEndsStream);
        }
    }

    private void AppendHeaderFragment(ReadOnlySpan<byte> fragment)
    {
        if (_headerBlockBytes + fragment.Length > _options.MaxHeaderBlockBytes)
        {
            throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"header block larger than {_options.MaxHeaderBlockBytes} bytes");
        }

        if (_headerBlockBytes + fragment.Length > _headerBlock.Length)
        {
            Array.Resize(ref _headerBlock, Math.Max(_headerBlockBytes + fragment.Length, _headerBlock.Length * 2));
        }

        fragment.CopyTo(_headerBlock.AsSpan(_headerBlockBytes));
        _headerBlockBytes += fragment.Length;
    }

    // Every block is decoded, even for streams no longer tracked, to keep the HPACK table in step with the server.
    private void OnHeaderBlock(int streamId, ReadOnlySpan<byte> block, bool endStream)
    {
        Http2Stream? stream;
        lock (_lock)
        {
            stream = _streams.GetValueOrDefault(streamId);
        }

        _decoder.Decode(block, stream);
        if (stream is not null && endStream)
        {
            EndStreamFromServer(stream);
        }
    }

    private void EndStreamFromServer(Http2Stream stream)
    {
        var (status, message) = stream.FinalStatus();
        bool removed;
        lock (_lock)
        {
            bool requestUnfinished = !stream.LocalEnded;
            removed = RemoveLocked(stream);
            if (removed && requestUnfinished && _closed is null)
            {
                // The server answered before the request ended; stop its side of the stream too.
                WriteRstStreamLocked(stream.Id, Http2ErrorCode.Cancel);
            }
        }

        if (removed)
        {
            stream.Complete(status, message);
        }
    }

    private void FailStream(Http2Stream stream, GrpcStatusCode status, string message)
    {
        bool removed;
        lock (_lock)
        {
            removed = RemoveLocked(stream);
            if (removed && _closed is null)
            {
                WriteRstStreamLocked(stream.Id, Http2ErrorCode.Cancel);
            }
        }

        if (removed)
        {
            stream.Complete(status, message);
        }
    }

    private void OnRstStream(int streamId, ReadOnlySpan<byte> payload)
    {
        if (payload.Length != 4 || streamId == 0)
        {
            throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, "malformed RST_STREAM");
        }

        var code = (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(payload);
        Http2Stream? stream;
        bool removed = false;
        lock (_lock)
        {
            stream = _streams.GetValueOrDefault(streamId);
            if (stream is not null)
            {
                stream.LocalEnded = true; // nothing more may be sent on a reset stream
                removed = RemoveLocked(stream);
            }
        }

        if (removed)
        {
            var (status, message) = ResetStatus(code);
            stream!.Complete(status, message);
        }
    }

    private static (GrpcStatusCode, string) ResetStatus(Http2ErrorCode code) => code switch
    {
        Http2ErrorCode.RefusedStream => (GrpcStatusCode.Unavailable, "the server refused the stream (RST_STREAM REFUSED_STREAM)"),
        Http2ErrorCode.Cancel => (GrpcStatusCode.Canceled, "the server canceled the stream (RST_STREAM CANCEL)"),
        Http2ErrorCode.EnhanceYourCalm => (GrpcStatusCode.ResourceExhausted, "the server asked to slow down (RST_STREAM ENHANCE_YOUR_CALM)"),
        _ => (GrpcStatusCode.Internal, $"stream terminated by RST_STREAM with error code: {code}"),
    };

    private static ReadOnlySpan<byte> RemovePadding(byte flags, ReadOnlySpan<byte> payload)
    {
        if ((flags & Http2Flags.Padded) == 0)
        {
            return payload;
        }

        if (payload.Length < 1 || payload[0] >= payload.Length)
        {
            throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "padding longer than the frame");
        }

        return payload[1..(payload.Length - payload[0])];
    }
}
