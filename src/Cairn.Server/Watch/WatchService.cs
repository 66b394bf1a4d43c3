using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Cairn.Server.Gateway;
using Cairn.Server.Grpc;
using Cairn.Server.Node;

namespace Cairn.Server.Watch;

/// <summary>
/// etcd's <c>Watch</c> service: <c>/etcdserverpb.Watch/Watch</c>, a bidirectional stream carrying any number of
/// watchers (etcd reference §4.7). Events come from the member's <see cref="Cairn.Storage.Watch.WatchHub"/>.
/// </summary>
public sealed class WatchService
{
    private readonly IEtcdNode _node;
    private readonly WatchServiceOptions _options;

    /// <summary>Creates the service for a member.</summary>
    public WatchService(IEtcdNode node, WatchServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _node = node;
        _options = options;
    }

    /// <summary>Open streams and watchers, for /metrics.</summary>
    public WatchStatistics Statistics { get; } = new();

    /// <summary>Registers the method for gRPC and the JSON gateway (<c>POST /v3/watch</c>).</summary>
    public void Register(GatewayServiceRegistry services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddBidiStreaming<WatchRequest, WatchResponse>(EtcdMethods.Watch.WatchMethod, WatchRequest.Parser, WatchAsync);
    }

    /// <summary>Serves one watch stream until the client goes away.</summary>
    public async ValueTask WatchAsync(IGrpcStreamReader<WatchRequest> requests, IGrpcStreamWriter<WatchResponse> responses, ServerCallContext call)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(call);
        using var stream = new WatchStream(_node, _options, Statistics, responses);
        Statistics.StreamOpened(stream);
        try
        {
            await stream.RunAsync(requests, call).ConfigureAwait(false);
        }
        finally
        {
            Statistics.StreamClosed(stream);
        }
    }
}
