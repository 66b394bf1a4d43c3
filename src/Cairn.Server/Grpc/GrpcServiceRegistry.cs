using System.Collections.Frozen;
using Google.Protobuf;

namespace Cairn.Server.Grpc;

/// <summary>
/// The gRPC methods the server answers, by path. Services register here at startup, e.g.
/// <c>registry.AddUnary(EtcdMethods.KV.Range, RangeRequest.Parser, kv.RangeAsync)</c>; the registry is frozen when the
/// dispatcher is built (<c>app.UseCairnGrpc(registry)</c>) and later registrations fail.
/// </summary>
public sealed class GrpcServiceRegistry
{
    private readonly Dictionary<string, GrpcMethodHandler> _methods = new(StringComparer.Ordinal);
    private FrozenDictionary<string, GrpcMethodHandler>? _frozenMethods;
    private FrozenSet<string>? _frozenServices;

    /// <summary>Every registered method.</summary>
    public IReadOnlyCollection<GrpcMethodInfo> Methods
    {
        get
        {
            var methods = new List<GrpcMethodInfo>(_methods.Count);
            foreach (GrpcMethodHandler handler in _methods.Values)
            {
                methods.Add(handler.Method);
            }

            return methods;
        }
    }

    /// <summary>Registers a unary method.</summary>
    /// <param name="path">The full path, <c>/package.Service/Method</c> (see <c>Cairn.Protocol.EtcdMethods</c>).</param>
    /// <param name="parser">The request message parser, e.g. <c>RangeRequest.Parser</c>.</param>
    /// <param name="handler">The handler; it may throw <c>RpcException</c> to answer with an error status.</param>
    public GrpcMethodInfo AddUnary<TRequest, TResponse>(string path, MessageParser<TRequest> parser, UnaryHandler<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new UnaryMethodHandler<TRequest, TResponse>(NewMethod(path, GrpcMethodKind.Unary), parser, handler));
    }

    /// <summary>Registers a server-streaming method (one request, a stream of responses).</summary>
    public GrpcMethodInfo AddServerStreaming<TRequest, TResponse>(string path, MessageParser<TRequest> parser, ServerStreamingHandler<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new ServerStreamingMethodHandler<TRequest, TResponse>(NewMethod(path, GrpcMethodKind.ServerStreaming), parser, handler));
    }

    /// <summary>Registers a bidirectional-streaming method.</summary>
    public GrpcMethodInfo AddBidiStreaming<TRequest, TResponse>(string path, MessageParser<TRequest> parser, BidiStreamingHandler<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new BidiStreamingMethodHandler<TRequest, TResponse>(NewMethod(path, GrpcMethodKind.BidiStreaming), parser, handler));
    }

    /// <summary>True when <paramref name="path"/> is registered.</summary>
    public bool IsRegistered(string path) => _frozenMethods?.ContainsKey(path) ?? _methods.ContainsKey(path);

    internal bool IsFrozen => _frozenMethods is not null;

    internal void Freeze()
    {
        if (_frozenMethods is not null)
        {
            return;
        }

        var services = new HashSet<string>(StringComparer.Ordinal);
        foreach (GrpcMethodHandler handler in _methods.Values)
        {
            services.Add(handler.Method.ServiceName);
        }

        _frozenServices = services.ToFrozenSet(StringComparer.Ordinal);
        _frozenMethods = _methods.ToFrozenDictionary(StringComparer.Ordinal);
    }

    internal bool TryGetHandler(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GrpcMethodHandler? handler)
    {
        FrozenDictionary<string, GrpcMethodHandler>? methods = _frozenMethods;
        Cairn.Protocol.Invariant.Check(methods is not null, "the registry is frozen before it serves calls");
        return methods.TryGetValue(path, out handler);
    }

    /// <summary>The Unimplemented message grpc-go gives for a path that is not registered.</summary>
    internal string DescribeUnknownPath(string path)
    {
        string serviceAndMethod = path.StartsWith('/') ? path[1..] : path;
        int slash = serviceAndMethod.LastIndexOf('/');
        if (slash < 0)
        {
            return $"malformed method name: \"{path}\"";
        }

        string service = serviceAndMethod[..slash];
        string method = serviceAndMethod[(slash + 1)..];
        return _frozenServices!.Contains(service)
            ? $"unknown method {method} for service {service}"
            : $"unknown service {service}";
    }

    private GrpcMethodInfo NewMethod(string path, GrpcMethodKind kind)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_frozenMethods is not null)
        {
            throw new InvalidOperationException(
                $"cannot register {path}: the gRPC registry is already serving; register every method before calling UseCairnGrpc");
        }

        int slash = path.LastIndexOf('/');
        if (!path.StartsWith('/') || slash <= 1 || slash == path.Length - 1)
        {
            throw new ArgumentException($"'{path}' is not a gRPC method path; expected /package.Service/Method", nameof(path));
        }

        if (_methods.ContainsKey(path))
        {
            throw new ArgumentException($"{path} is already registered; each method has exactly one handler", nameof(path));
        }

        return new GrpcMethodInfo(path, kind);
    }

    private GrpcMethodInfo Add(GrpcMethodHandler handler)
    {
        _methods.Add(handler.Method.Path, handler);
        return handler.Method;
    }
}
