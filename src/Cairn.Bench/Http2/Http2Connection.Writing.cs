using System.Buffers.Binary;
using System.Net.Sockets;
using Cairn.Bench.Hpack;

namespace Cairn.Bench.Http2;

/// <summary>
/// The send side: frames are appended to one pending buffer under the lock and written by one flusher at a time, so
/// requests from many callers leave in one socket write. Flow control: DATA that does not fit the stream's or the
/// connection's send window waits on the stream and is sent, in FIFO order, as WINDOW_UPDATEs arrive.
/// </summary>
internal sealed partial class Http2Connection
{
    private const int InitialWriteBufferBytes = 64 * 1024;
    private const int GrpcPrefixBytes = 5;

    // The read loop of the connection whose frames are being processed on this thread: calls started from its inline
    // continuations leave their frames for the read loop to flush after the batch instead of writing one by one.
    [ThreadStatic]
    private static Http2Connection? t_dispatching;

    private readonly HpackEncoder _encoder;
    private readonly Queue<Http2Stream> _waitingForSlot = new();
    private readonly Queue<(Http2Stream Stream, int Incarnation)> _sendQueue = new();
    private byte[] _pending;
    private byte[]? _spare;
    private int _pendingBytes;
    private bool _flushing;
    private int _nextStreamId = 1;
    private int _openStreams;
    private long _connectionSendWindow = Http2Wire.DefaultWindowBytes;
    private int _peerInitialWindow = Http2Wire.DefaultWindowBytes;
    private int _peerMaxFrameBytes = Http2Wire.DefaultMaxFrameBytes;
    private long _peerMaxConcurrentStreams = long.MaxValue;
    private bool _goAwayReceived;

    private void Start()
    {
        lock (_lock)
        {
            WritePrefaceLocked();
            _flushing = true;
        }

        StartFlush();
        _ = ReadLoopAsync();
    }

    private void WritePrefaceLocked()
    {
        Span<byte> frame = Reserve(Http2Wire.ClientPreface.Length + Http2Wire.FrameHeaderBytes + (4 * 6) + Http2Wire.FrameHeaderBytes + 4);
        Http2Wire.ClientPreface.CopyTo(frame);
        int at = Http2Wire.ClientPreface.Length;
        Http2Wire.WriteFrameHeader(frame[at..], 4 * 6, Http2FrameType.Settings, 0, 0);
        at += Http2Wire.FrameHeaderBytes;
        at += WriteSetting(frame[at..], Http2SettingId.EnablePush, 0);
        at += WriteSetting(frame[at..], Http2SettingId.InitialWindowSize, (uint)_options.InitialStreamWindowBytes);
        at += WriteSetting(frame[at..], Http2SettingId.HeaderTableSize, (uint)_options.HeaderTableBytes);
        at += WriteSetting(frame[at..], Http2SettingId.MaxHeaderListSize, (uint)_options.MaxHeaderListBytes);
        int connectionIncrement = _options.ConnectionWindowBytes - Http2Wire.DefaultWindowBytes;
        if (connectionIncrement > 0)
        {
            Http2Wire.WriteFrameHeader(frame[at..], 4, Http2FrameType.WindowUpdate, 0, 0);
            BinaryPrimitives.WriteInt32BigEndian(frame[(at + Http2Wire.FrameHeaderBytes)..], connectionIncrement);
            at += Http2Wire.FrameHeaderBytes + 4;
        }

        _pendingBytes += at;
    }

    private static int WriteSetting(Span<byte> destination, Http2SettingId id, uint value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)id);
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], value);
        return 6;
    }

    private void OpenOrQueueLocked(Http2Stream stream, HpackHeaderList headers, ReadOnlySpan<byte> message, bool unary)
    {
        if (_openStreams >= _peerMaxConcurrentStreams || _waitingForSlot.Count > 0)
        {
            stream.PendingHeaders = headers;
            if (unary)
            {
                QueueBytesLocked(stream, message, endStream: true, framed: true);
            }

            _waitingForSlot.Enqueue(stream);
            return;
        }

        OpenStreamLocked(stream, headers);
        if (unary)
        {
            SendDataLocked(stream, message, endStream: true, framed: true);
        }
    }

    private void OpenStreamLocked(Http2Stream stream, HpackHeaderList headers)
    {
        if (_nextStreamId < 0)
        {
            throw new InvalidOperationException("this connection has used all its HTTP/2 stream ids; open a new connection");
        }

        int id = _nextStreamId;
        _nextStreamId += 2;
        stream.Id = id;
        stream.SendWindow = _peerInitialWindow;
        _streams.Add(id, stream);
        _openStreams++;
        Span<byte> frame = Reserve(Http2Wire.FrameHeaderBytes + headers.MaxEncodedBytes);
        int blockBytes = _encoder.Encode(headers, frame[Http2Wire.FrameHeaderBytes..]);
        Cairn.Protocol.Invariant.Check(blockBytes <= _peerMaxFrameBytes, "request header blocks fit one HEADERS frame");
        Http2Wire.WriteFrameHeader(frame, blockBytes, Http2FrameType.Headers, Http2Flags.EndHeaders, id);
        _pendingBytes += Http2Wire.FrameHeaderBytes + blockBytes;
    }

    // Opens streams that waited for a slot, oldest first, and sends what they queued.
    private void OpenWaitingStreamsLocked()
    {
        while (_waitingForSlot.Count > 0 && _openStreams < _peerMaxConcurrentStreams && _closed is null)
        {
            Http2Stream stream = _waitingForSlot.Dequeue();
            if (stream.Removed)
            {
                continue;
            }

            OpenStreamLocked(stream, stream.PendingHeaders!);
            stream.PendingHeaders = null;
            if (stream.PendingSendBytes > 0 || stream.PendingEndStream)
            {
                EnqueueForSendLocked(stream);
            }
        }

        DrainSendQueueLocked();
    }

    // DATA for an open stream: one frame at once when it fits every window (the common case), else queued.
    private void SendDataLocked(Http2Stream stream, ReadOnlySpan<byte> message, bool endStream, bool framed)
    {
        int payloadBytes = framed ? GrpcPrefixBytes + message.Length : message.Length;
        bool fitsNow = stream.PendingSendBytes == 0 && !stream.PendingEndStream && payloadBytes <= _peerMaxFrameBytes
            && payloadBytes <= stream.SendWindow && payloadBytes <= _connectionSendWindow;
        if (!fitsNow)
        {
            QueueBytesLocked(stream, message, endStream, framed);
            EnqueueForSendLocked(stream);
            DrainSendQueueLocked();
            return;
        }

        Span<byte> frame = Reserve(Http2Wire.FrameHeaderBytes + payloadBytes);
        Http2Wire.WriteFrameHeader(frame, payloadBytes, Http2FrameType.Data, endStream ? Http2Flags.EndStream : (byte)0, stream.Id);
        Span<byte> payload = frame[Http2Wire.FrameHeaderBytes..];
        if (framed)
        {
            payload[0] = 0;
            BinaryPrimitives.WriteInt32BigEndian(payload[1..], message.Length);
            payload = payload[GrpcPrefixBytes..];
        }

        message.CopyTo(payload);
        _pendingBytes += Http2Wire.FrameHeaderBytes + payloadBytes;
        stream.SendWindow -= payloadBytes;
        _connectionSendWindow -= payloadBytes;
        stream.LocalEnded |= endStream;
    }

    private static void QueueBytesLocked(Http2Stream stream, ReadOnlySpan<byte> message, bool endStream, bool framed)
    {
        Span<byte> prefix = stackalloc byte[GrpcPrefixBytes];
        prefix[0] = 0;
        BinaryPrimitives.WriteInt32BigEndian(prefix[1..], message.Length);
        stream.AppendPendingSend(framed ? prefix : default, message);
        stream.PendingEndStream |= endStream;
    }

    private void EnqueueForSendLocked(Http2Stream stream)
    {
        if (!stream.InSendQueue)
        {
            stream.InSendQueue = true;
            _sendQueue.Enqueue((stream, stream.Incarnation));
        }
    }

    // Sends queued DATA as far as the windows allow; each queued stream is visited once per pass.
    private void DrainSendQueueLocked()
    {
        for (int visits = _sendQueue.Count; visits > 0; visits--)
        {
            var (stream, incarnation) = _sendQueue.Dequeue();
            if (stream.Incarnation != incarnation || stream.Removed)
            {
                continue;
            }

            if (WritePendingLocked(stream))
            {
                stream.InSendQueue = false;
            }
            else
            {
                _sendQueue.Enqueue((stream, incarnation));
            }
        }
    }

    // Returns true when everything the stream queued has been written.
    private bool WritePendingLocked(Http2Stream stream)
    {
        while (stream.PendingSendBytes > 0)
        {
            long allowed = Math.Min(Math.Min(stream.PendingSendBytes, _peerMaxFrameBytes), Math.Min(stream.SendWindow, _connectionSendWindow));
            if (allowed <= 0)
            {
                return false;
            }

            int chunk = (int)allowed;
            bool last = chunk == stream.PendingSendBytes && stream.PendingEndStream;
            Span<byte> frame = Reserve(Http2Wire.FrameHeaderBytes + chunk);
            Http2Wire.WriteFrameHeader(frame, chunk, Http2FrameType.Data, last ? Http2Flags.EndStream : (byte)0, stream.Id);
            stream.PendingSendSpan[..chunk].CopyTo(frame[Http2Wire.FrameHeaderBytes..]);
            _pendingBytes += Http2Wire.FrameHeaderBytes + chunk;
            stream.ConsumePendingSend(chunk);
            stream.SendWindow -= chunk;
            _connectionSendWindow -= chunk;
            if (last)
            {
                stream.PendingEndStream = false;
                stream.LocalEnded = true;
            }
        }

        if (stream.PendingEndStream)
        {
            // A half-close with nothing left to send: an empty DATA frame needs no window.
            Span<byte> frame = Reserve(Http2Wire.FrameHeaderBytes);
            Http2Wire.WriteFrameHeader(frame, 0, Http2FrameType.Data, Http2Flags.EndStream, stream.Id);
            _pendingBytes += Http2Wire.FrameHeaderBytes;
            stream.PendingEndStream = false;
            stream.LocalEnded = true;
        }

        return true;
    }

    private void WriteRstStreamLocked(int streamId, Http2ErrorCode code)
    {
        Span<byte> frame = Reserve(Http2Wire.FrameHeaderBytes + 4);
        Http2Wire.WriteFrameHeader(frame, 4, Http2FrameType.RstStream, 0, streamId);
        BinaryPrimitives.WriteUInt32BigEndian(frame[Http2Wire.FrameHeaderBytes..], (uint)code);
        _pendingBytes += Http2Wire.FrameHeaderBytes + 4;
    }

    private void WriteWindowUpdateLocked(int streamId, int increment)
    {
        Span<byte> frame = Reserve(Http2Wire.FrameHeaderBytes + 4);
        Http2Wire.WriteFrameHeader(frame, 4, Http2FrameType.WindowUpdate, 0, streamId);
        BinaryPrimitives.WriteInt32BigEndian(frame[Http2Wire.FrameHeaderBytes..], increment);
        _pendingBytes += Http2Wire.FrameHeaderBytes + 4;
    }

    private void WriteControlFrameLocked(Http2FrameType type, byte flags, ReadOnlySpan<byte> payload)
    {
        Span<byte> frame = Reserve(Http2Wire.FrameHeaderBytes + payload.Length);
        Http2Wire.WriteFrameHeader(frame, payload.Length, type, flags, 0);
        payload.CopyTo(frame[Http2Wire.FrameHeaderBytes..]);
        _pendingBytes += Http2Wire.FrameHeaderBytes + payload.Length;
    }

    // Room for `bytes` more at the end of the pending buffer; the caller advances _pendingBytes by what it wrote.
    private Span<byte> Reserve(int bytes)
    {
        int needed = _pendingBytes + bytes;
        if (needed > _pending.Length)
        {
            if (needed > _options.MaxPendingWriteBytes)
            {
                throw new InvalidOperationException(
                    $"more than {_options.MaxPendingWriteBytes} bytes wait to be written on {Authority}: the socket cannot keep up with the callers");
            }

            Array.Resize(ref _pending, Math.Min(Math.Max(needed, _pending.Length * 2), _options.MaxPendingWriteBytes));
        }

        return _pending.AsSpan(_pendingBytes, bytes);
    }

    // True when the caller must start the flusher (it then owns it until the buffer is empty).
    private bool ClaimFlushLocked()
    {
        if (_flushing || _pendingBytes == 0 || ReferenceEquals(t_dispatching, this))
        {
            return false;
        }

        _flushing = true;
        return true;
    }

    private void StartFlush() => _ = FlushLoopAsync();

    // Writes the pending buffer until it stays empty. Only one runs at a time (_flushing); buffers are swapped
    // under the lock so callers keep appending while a write is in progress.
    private async Task FlushLoopAsync()
    {
        try
        {
            while (true)
            {
                byte[] sending;
                int count;
                lock (_lock)
                {
                    if (_pendingBytes == 0 || _closed is not null)
                    {
                        _flushing = false;
                        return;
                    }

                    sending = _pending;
                    count = _pendingBytes;
                    _pending = _spare is { } spare && spare.Length >= InitialWriteBufferBytes ? spare : new byte[Math.Max(InitialWriteBufferBytes, count)];
                    _spare = null;
                    _pendingBytes = 0;
                }

                for (int sent = 0; sent < count;)
                {
                    sent += await _socket.SendAsync(sending.AsMemory(sent, count - sent), SocketFlags.None).ConfigureAwait(false);
                }

                lock (_lock)
                {
                    _spare = sending;
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or IOException)
        {
            lock (_lock)
            {
                _flushing = false;
            }

            Abort($"writing to {Authority} failed: {exception.Message}");
        }
    }
}
