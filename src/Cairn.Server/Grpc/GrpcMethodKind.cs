namespace Cairn.Server.Grpc;

/// <summary>The shape of a gRPC method.</summary>
public enum GrpcMethodKind
{
    /// <summary>One request, one response.</summary>
    Unary = 0,

    /// <summary>One request, a stream of responses.</summary>
    ServerStreaming = 1,

    /// <summary>A stream of requests and a stream of responses, independent of each other.</summary>
    BidiStreaming = 2,
}

/// <summary>Names of <see cref="GrpcMethodKind"/> as go-grpc-prometheus labels them (<c>grpc_type</c>).</summary>
public static class GrpcMethodKindNames
{
    /// <summary><c>unary</c>, <c>server_stream</c> or <c>bidi_stream</c>.</summary>
    public static string PrometheusName(this GrpcMethodKind kind) => kind switch
    {
        GrpcMethodKind.Unary => "unary",
        GrpcMethodKind.ServerStreaming => "server_stream",
        GrpcMethodKind.BidiStreaming => "bidi_stream",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a gRPC method kind"),
    };
}
