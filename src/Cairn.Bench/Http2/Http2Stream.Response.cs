using System.Buffers.Binary;
using System.Text;
using Cairn.Bench.Hpack;
using Cairn.Protocol.Grpc;

namespace Cairn.Bench.Http2;

/// <summary>The response side: headers, trailers and the unary response body.</summary>
internal sealed partial class Http2Stream : IHpackHeaderSink
{
    private const int GrpcPrefixBytes = 5;
    private const int InlineBodyBytes = 512;
    // Bodies up to this size keep their buffer when the stream is reused; larger ones are dropped.
    private const int ReusableBodyBytes = 64 * 1024;

    private byte[] _body = new byte[InlineBodyBytes];
    private int _bodyBytes;
    private int _httpStatus;
    private int _grpcStatus = -1;
    private string? _grpcMessage;
    private string? _responseEncoding;
    private bool _headersReceived;
    private bool _nonGrpcContentType;
    private Exception? _bodyError;

    /// <summary>The protobuf bytes of a unary call's response message; valid after an OK end, until release.</summary>
    public ReadOnlySpan<byte> ResponseMessage => _bodyBytes >= GrpcPrefixBytes ? _body.AsSpan(GrpcPrefixBytes, _bodyBytes - GrpcPrefixBytes) : default;

    /// <inheritdoc />
    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (name.SequenceEqual(":status"u8))
        {
            _httpStatus = ParseDecimal(value);
            _headersReceived = true;
        }
        else if (name.SequenceEqual("grpc-status"u8))
        {
            _grpcStatus = ParseDecimal(value);
        }
        else if (name.SequenceEqual("grpc-message"u8))
        {
            _grpcMessage = GrpcStatusMessage.Decode(Encoding.UTF8.GetString(value));
        }
        else if (name.SequenceEqual("grpc-encoding"u8) && !value.SequenceEqual("identity"u8))
        {
            _responseEncoding = Encoding.ASCII.GetString(value);
        }
        else if (name.SequenceEqual("content-type"u8))
        {
            _nonGrpcContentType = !IsGrpcContentType(value);
        }
    }

    // A DATA payload of a unary call: kept whole until the end (one message is expected).
    internal void OnUnaryData(ReadOnlySpan<byte> data, int maxMessageBytes)
    {
        if (_bodyError is not null)
        {
            return;
        }

        if (_bodyBytes + data.Length > maxMessageBytes + GrpcPrefixBytes)
        {
            _bodyError = new InvalidDataException($"grpc: received message larger than max ({_bodyBytes + data.Length - GrpcPrefixBytes} vs. {maxMessageBytes})");
            return;
        }

        if (_bodyBytes + data.Length > _body.Length)
        {
            Array.Resize(ref _body, Math.Max(_bodyBytes + data.Length, _body.Length * 2));
        }

        data.CopyTo(_body.AsSpan(_bodyBytes));
        _bodyBytes += data.Length;
    }

    // The status the call ends with once the server ended the stream (trailers or trailers-only response).
    internal (GrpcStatusCode Status, string Message) FinalStatus()
    {
        if (_bodyError is not null)
        {
            return (GrpcStatusCode.ResourceExhausted, _bodyError.Message);
        }

        if (!_headersReceived)
        {
            return (GrpcStatusCode.Internal, "the server ended the stream without response headers");
        }

        if (_grpcStatus < 0)
        {
            return _httpStatus != 200
                ? (HttpStatusToGrpc(_httpStatus), $"unexpected HTTP status code received from server: {_httpStatus}")
                : (GrpcStatusCode.Internal, "server closed the stream without sending trailers");
        }

        var status = (GrpcStatusCode)_grpcStatus;
        if (status != GrpcStatusCode.OK)
        {
            return (status, _grpcMessage ?? string.Empty);
        }

        if (_nonGrpcContentType)
        {
            return (GrpcStatusCode.Internal, "transport: received a response with a content-type that is not application/grpc");
        }

        if (IsStreaming)
        {
            return _partialBytes == 0 ? (GrpcStatusCode.OK, string.Empty) : (GrpcStatusCode.Internal, "unexpected EOF inside a gRPC message");
        }

        return CheckUnaryBody();
    }

    private (GrpcStatusCode, string) CheckUnaryBody()
    {
        if (_bodyBytes == 0)
        {
            return (GrpcStatusCode.Internal, "cardinality violation: received no response message from non-streaming RPC");
        }

        if (_bodyBytes < GrpcPrefixBytes)
        {
            return (GrpcStatusCode.Internal, "unexpected EOF inside a gRPC message header");
        }

        if (_body[0] != 0)
        {
            return (GrpcStatusCode.Internal, _responseEncoding is null
                ? "grpc: compressed flag set with identity or empty encoding"
                : $"grpc: the response is compressed with {_responseEncoding}, which this client does not decode");
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(_body.AsSpan(1));
        long actual = _bodyBytes - GrpcPrefixBytes;
        if (length > actual)
        {
            return (GrpcStatusCode.Internal, "unexpected EOF inside a gRPC message");
        }

        return length < actual
            ? (GrpcStatusCode.Internal, "cardinality violation: expected <EOF> for non server-streaming RPCs, but received another message")
            : (GrpcStatusCode.OK, string.Empty);
    }

    private void ResetResponse()
    {
        if (_body.Length > ReusableBodyBytes)
        {
            _body = new byte[InlineBodyBytes];
        }

        _bodyBytes = 0;
        _httpStatus = 0;
        _grpcStatus = -1;
        _grpcMessage = null;
        _responseEncoding = null;
        _headersReceived = false;
        _nonGrpcContentType = false;
        _bodyError = null;
        ResetMessageQueue();
    }

    /// <summary>The gRPC status for an HTTP status without grpc-status (gRPC's http-grpc-status-mapping).</summary>
    internal static GrpcStatusCode HttpStatusToGrpc(int httpStatus) => httpStatus switch
    {
        400 => GrpcStatusCode.Internal,
        401 => GrpcStatusCode.Unauthenticated,
        403 => GrpcStatusCode.PermissionDenied,
        404 => GrpcStatusCode.Unimplemented,
        429 or 502 or 503 or 504 => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };

    private static bool IsGrpcContentType(ReadOnlySpan<byte> value)
    {
        ReadOnlySpan<byte> grpc = "application/grpc"u8;
        return value.StartsWith(grpc) && (value.Length == grpc.Length || value[grpc.Length] is (byte)'+' or (byte)';');
    }

    private static int ParseDecimal(ReadOnlySpan<byte> value)
    {
        int result = 0;
        foreach (byte digit in value)
        {
            if (digit < '0' || digit > '9' || result > 100_000_000)
            {
                return int.MaxValue; // not a status anyone defines: becomes Unknown/unexpected
            }

            result = (result * 10) + (digit - '0');
        }

        return value.IsEmpty ? int.MaxValue : result;
    }
}
