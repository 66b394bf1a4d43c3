using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Cairn.Protocol.Grpc;

namespace Cairn.Bench.Http2;

/// <summary>Connection-level frames: SETTINGS, PING, GOAWAY, WINDOW_UPDATE.</summary>
internal sealed partial class Http2Connection
{
    private void OnSettings(byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        if (streamId != 0 || payload.Length % 6 != 0 || ((flags & Http2Flags.Ack) != 0 && payload.Length != 0))
        {
            throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "malformed SETTINGS frame");
        }

        if ((flags & Http2Flags.Ack) != 0)
        {
            return;
        }

        lock (_lock)
        {
            for (int at = 0; at < payload.Length; at += 6)
            {
                var id = (Http2SettingId)BinaryPrimitives.ReadUInt16BigEndian(payload[at..]);
                uint value = BinaryPrimitives.ReadUInt32BigEndian(payload[(at + 2)..]);
                ApplySettingLocked(id, value);
            }

            WriteControlFrameLocked(Http2FrameType.Settings, Http2Flags.Ack, default);
            OpenWaitingStreamsLocked();
        }

        _settingsReceived.TrySetResult();
    }

    private void ApplySettingLocked(Http2SettingId id, uint value)
    {
        switch (id)
        {
            case Http2SettingId.HeaderTableSize:
                _encoder.SetPeerMaxTableBytes((int)Math.Min(value, int.MaxValue));
                break;
            case Http2SettingId.MaxConcurrentStreams:
                _peerMaxConcurrentStreams = value;
                break;
            case Http2SettingId.InitialWindowSize:
                if (value > Http2Wire.MaxWindowBytes)
                {
                    throw new Http2ProtocolException(Http2ErrorCode.FlowControlError, $"SETTINGS_INITIAL_WINDOW_SIZE {value} above 2^31-1");
                }

                // RFC 9113 §6.9.2: the change applies to every open stream's window, which may go negative.
                long delta = value - (long)_peerInitialWindow;
                foreach (Http2Stream stream in _streams.Values)
                {
                    stream.SendWindow += delta;
                }

                _peerInitialWindow = (int)value;
                break;
            case Http2SettingId.MaxFrameSize:
                if (value < Http2Wire.DefaultMaxFrameBytes || value > Http2Wire.MaxAllowedFrameBytes)
                {
                    throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"SETTINGS_MAX_FRAME_SIZE {value} out of range");
                }

                _peerMaxFrameBytes = (int)value;
                break;
            default:
                break; // ENABLE_PUSH (servers do not send it), MAX_HEADER_LIST_SIZE (our blocks are tiny), unknown ids
        }
    }

    private void OnPing(byte flags, ReadOnlySpan<byte> payload)
    {
        if (payload.Length != 8)
        {
            throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, "PING payload is not 8 bytes");
        }

        if ((flags & Http2Flags.Ack) == 0)
        {
            lock (_lock)
            {
                WriteControlFrameLocked(Http2FrameType.Ping, Http2Flags.Ack, payload);
            }
        }
    }

    // Streams above the server's last stream id were not processed and fail; the others may still finish.
    private void OnGoAway(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 8)
        {
            throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, "GOAWAY shorter than 8 bytes");
        }

        int lastStreamId = BinaryPrimitives.ReadInt32BigEndian(payload) & int.MaxValue;
        var code = (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
        string debug = payload.Length > 8 ? " " + Encoding.UTF8.GetString(payload[8..]) : string.Empty;
        string reason = $"the server is closing the connection (GOAWAY {code}{debug})";
        var victims = new List<Http2Stream>();
        lock (_lock)
        {
            _goAwayReceived = true;
            foreach (Http2Stream stream in _streams.Values)
            {
                if (stream.Id > lastStreamId)
                {
                    victims.Add(stream);
                }
            }

            victims.AddRange(_waitingForSlot);
            foreach (Http2Stream stream in victims)
            {
                RemoveLocked(stream);
            }
        }

        foreach (Http2Stream stream in victims)
        {
            stream.Complete(GrpcStatusCode.Unavailable, reason);
        }
    }

    private void OnWindowUpdate(int streamId, ReadOnlySpan<byte> payload)
    {
        if (payload.Length != 4)
        {
            throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, "WINDOW_UPDATE payload is not 4 bytes");
        }

        int increment = BinaryPrimitives.ReadInt32BigEndian(payload) & int.MaxValue;
        if (increment == 0)
        {
            throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "WINDOW_UPDATE with increment 0");
        }

        lock (_lock)
        {
            if (streamId == 0)
            {
                _connectionSendWindow += increment;
                if (_connectionSendWindow > Http2Wire.MaxWindowBytes)
                {
                    throw new Http2ProtocolException(Http2ErrorCode.FlowControlError, "connection send window above 2^31-1");
                }
            }
            else if (_streams.GetValueOrDefault(streamId) is { } stream)
            {
                stream.SendWindow += increment;
            }

            DrainSendQueueLocked();
        }
    }

    private void SendGoAwayBestEffort(Http2ErrorCode code)
    {
        try
        {
            Span<byte> frame = stackalloc byte[Http2Wire.FrameHeaderBytes + 8];
            Http2Wire.WriteFrameHeader(frame, 8, Http2FrameType.GoAway, 0, 0);
            BinaryPrimitives.WriteInt32BigEndian(frame[Http2Wire.FrameHeaderBytes..], 0);
            BinaryPrimitives.WriteUInt32BigEndian(frame[(Http2Wire.FrameHeaderBytes + 4)..], (uint)code);
            _socket.Send(frame, SocketFlags.None);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // The connection is being torn down anyway.
        }
    }
}
