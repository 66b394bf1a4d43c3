namespace Cairn.Bench.Http2;

/// <summary>HTTP/2 frame types (RFC 9113 §6).</summary>
internal enum Http2FrameType : byte
{
    Data = 0x0,
    Headers = 0x1,
    Priority = 0x2,
    RstStream = 0x3,
    Settings = 0x4,
    PushPromise = 0x5,
    Ping = 0x6,
    GoAway = 0x7,
    WindowUpdate = 0x8,
    Continuation = 0x9,
}

/// <summary>HTTP/2 frame flags; the meaning of a bit depends on the frame type.</summary>
internal static class Http2Flags
{
    public const byte EndStream = 0x1;
    public const byte Ack = 0x1;
    public const byte EndHeaders = 0x4;
    public const byte Padded = 0x8;
    public const byte Priority = 0x20;
}

/// <summary>SETTINGS parameters (RFC 9113 §6.5.2).</summary>
internal enum Http2SettingId : ushort
{
    HeaderTableSize = 0x1,
    EnablePush = 0x2,
    MaxConcurrentStreams = 0x3,
    InitialWindowSize = 0x4,
    MaxFrameSize = 0x5,
    MaxHeaderListSize = 0x6,
}

/// <summary>Error codes of RST_STREAM and GOAWAY (RFC 9113 §7).</summary>
internal enum Http2ErrorCode : uint
{
    NoError = 0x0,
    ProtocolError = 0x1,
    InternalError = 0x2,
    FlowControlError = 0x3,
    SettingsTimeout = 0x4,
    StreamClosed = 0x5,
    FrameSizeError = 0x6,
    RefusedStream = 0x7,
    Cancel = 0x8,
    CompressionError = 0x9,
    ConnectError = 0xa,
    EnhanceYourCalm = 0xb,
    InadequateSecurity = 0xc,
    Http11Required = 0xd,
}

/// <summary>Fixed sizes and defaults of the HTTP/2 wire format.</summary>
internal static class Http2Wire
{
    /// <summary>Every frame starts with a 9-byte header: 24-bit length, type, flags, 31-bit stream id.</summary>
    public const int FrameHeaderBytes = 9;

    /// <summary>The window every stream and the connection start with, before SETTINGS or WINDOW_UPDATE.</summary>
    public const int DefaultWindowBytes = 65_535;

    /// <summary>The frame payload limit until the peer's SETTINGS raise it.</summary>
    public const int DefaultMaxFrameBytes = 16_384;

    /// <summary>The largest frame payload any peer may allow (2^24-1).</summary>
    public const int MaxAllowedFrameBytes = 16_777_215;

    /// <summary>The largest flow-control window (2^31-1).</summary>
    public const int MaxWindowBytes = int.MaxValue;

    /// <summary>The client connection preface, sent before anything else (h2c with prior knowledge).</summary>
    public static ReadOnlySpan<byte> ClientPreface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>Writes a frame header into <paramref name="destination"/> (at least 9 bytes).</summary>
    public static void WriteFrameHeader(Span<byte> destination, int payloadBytes, Http2FrameType type, byte flags, int streamId)
    {
        destination[0] = (byte)(payloadBytes >> 16);
        destination[1] = (byte)(payloadBytes >> 8);
        destination[2] = (byte)payloadBytes;
        destination[3] = (byte)type;
        destination[4] = flags;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(destination[5..], streamId & int.MaxValue);
    }

    /// <summary>Reads the payload length of the frame header at the start of <paramref name="header"/>.</summary>
    public static int ReadPayloadLength(ReadOnlySpan<byte> header) => (header[0] << 16) | (header[1] << 8) | header[2];

    /// <summary>Reads the stream id (reserved bit cleared) of the frame header at the start of <paramref name="header"/>.</summary>
    public static int ReadStreamId(ReadOnlySpan<byte> header) =>
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header[5..]) & int.MaxValue;
}
