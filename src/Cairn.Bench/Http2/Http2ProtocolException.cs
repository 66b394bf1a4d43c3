namespace Cairn.Bench.Http2;

/// <summary>The server broke the HTTP/2 protocol; the connection is closed and its calls fail.</summary>
internal sealed class Http2ProtocolException(Http2ErrorCode code, string message) : Exception(message)
{
    /// <summary>The HTTP/2 error code that describes the violation.</summary>
    public Http2ErrorCode Code { get; } = code;
}
