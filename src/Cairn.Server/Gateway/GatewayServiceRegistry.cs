using System.Collections.Frozen;
using Cairn.Server.Grpc;
using Google.Protobuf;

namespace Cairn.Server.Gateway;

/// <summary>
/// Registers each etcd method once for both front doors: with the gRPC registry, and, when etcd's gateway exposes the
/// method (<see cref="GatewayPaths"/>), as a JSON route that calls the very same handler in-process. Services register
/// here instead of on <see cref="GrpcServiceRegistry"/> directly, e.g.
/// <c>services.AddUnary(EtcdMethods.KV.Range, RangeRequest.Parser, kv.RangeAsync)</c>.
/// </summary>
public sealed class GatewayServiceRegistry
{
    private readonly Dictionary<string, GatewayRoute> _routes = new(StringComparer.Ordinal);
    private FrozenDictionary<string, GatewayRoute>? _frozenRoutes;

    /// <summary>Wraps <paramref name="grpc"/>; every registration goes to it as well.</summary>
    public GatewayServiceRegistry(GrpcServiceRegistry grpc)
    {
        ArgumentNullException.ThrowIfNull(grpc);
        Grpc = grpc;
    }

    /// <summary>The gRPC registry (pass it to <c>UseCairnGrpc</c>).</summary>
    public GrpcServiceRegistry Grpc { get; }

    /// <summary>The HTTP paths that have a JSON route.</summary>
    public IReadOnlyCollection<string> HttpPaths => _frozenRoutes?.Keys ?? (IReadOnlyCollection<string>)_routes.Keys;

    /// <summary>Registers a unary method for gRPC and its gateway path.</summary>
    public GrpcMethodInfo AddUnary<TRequest, TResponse>(string path, MessageParser<TRequest> parser, UnaryHandler<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        GrpcMethodInfo method = Grpc.AddUnary(path, parser, handler);
        AddRoutes(new UnaryGatewayRoute<TRequest, TResponse>(method, handler));
        return method;
    }

    /// <summary>Registers a server-streaming method for gRPC and its gateway path.</summary>
    public GrpcMethodInfo AddServerStreaming<TRequest, TResponse>(string path, MessageParser<TRequest> parser, ServerStreamingHandler<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        GrpcMethodInfo method = Grpc.AddServerStreaming(path, parser, handler);
        AddRoutes(new ServerStreamingGatewayRoute<TRequest, TResponse>(method, handler));
        return method;
    }

    /// <summary>Registers a bidirectional-streaming method for gRPC and its gateway path.</summary>
    public GrpcMethodInfo AddBidiStreaming<TRequest, TResponse>(string path, MessageParser<TRequest> parser, BidiStreamingHandler<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        GrpcMethodInfo method = Grpc.AddBidiStreaming(path, parser, handler);
        AddRoutes(new BidiStreamingGatewayRoute<TRequest, TResponse>(method, handler));
        return method;
    }

    /// <summary>The route of an HTTP path (after the <c>/v3beta</c> rewrite).</summary>
    internal bool TryGetRoute(string httpPath, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GatewayRoute? route)
    {
        FrozenDictionary<string, GatewayRoute> routes = _frozenRoutes ??= _routes.ToFrozenDictionary(StringComparer.Ordinal);
        return routes.TryGetValue(httpPath, out route);
    }

    /// <summary>Stops registrations; the gateway calls it when it starts serving.</summary>
    internal void Freeze() => _frozenRoutes ??= _routes.ToFrozenDictionary(StringComparer.Ordinal);

    private void AddRoutes(GatewayRoute route)
    {
        Cairn.Protocol.Invariant.Check(_frozenRoutes is null, "gateway routes are registered before the gateway serves");
        foreach (string httpPath in GatewayPaths.For(route.Method.Path))
        {
            _routes.Add(httpPath, route);
        }
    }
}
