namespace Cairn.Server.Grpc;

/// <summary>A registered gRPC method: its path and the names metrics label it with. One instance per method, made at registration.</summary>
public sealed class GrpcMethodInfo
{
    internal GrpcMethodInfo(string path, GrpcMethodKind kind)
    {
        Path = path;
        Kind = kind;
        int slash = path.LastIndexOf('/');
        ServiceName = path[1..slash];
        MethodName = path[(slash + 1)..];
    }

    /// <summary>The HTTP/2 <c>:path</c>, e.g. <c>/etcdserverpb.KV/Range</c>.</summary>
    public string Path { get; }

    /// <summary>The fully qualified service, e.g. <c>etcdserverpb.KV</c> (the <c>grpc_service</c> label).</summary>
    public string ServiceName { get; }

    /// <summary>The method, e.g. <c>Range</c> (the <c>grpc_method</c> label).</summary>
    public string MethodName { get; }

    /// <summary>Unary or streaming.</summary>
    public GrpcMethodKind Kind { get; }

    /// <inheritdoc/>
    public override string ToString() => Path;
}
