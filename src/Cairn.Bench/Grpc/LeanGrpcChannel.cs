using System.Collections.Concurrent;
using Cairn.Bench.Hpack;
using Cairn.Bench.Http2;

namespace Cairn.Bench.Grpc;

/// <summary>
/// The load generator's connections: <c>--conns</c> lean HTTP/2 connections spread round-robin over the endpoints,
/// each carrying the calls of the clients assigned to it.
/// </summary>
internal sealed class LeanGrpcChannel : IDisposable
{
    private readonly Http2Connection[] _connections;
    private readonly ConcurrentDictionary<(string Authority, string Path), HpackHeaderList> _headers = new();
    private readonly string _userAgent;

    private LeanGrpcChannel(Http2Connection[] connections, string userAgent)
    {
        _connections = connections;
        _userAgent = userAgent;
    }

    /// <summary>How many connections there are.</summary>
    public int Count => _connections.Length;

    /// <summary>Connection <paramref name="index"/>.</summary>
    public Http2Connection this[int index] => _connections[index];

    /// <summary>Opens <paramref name="connections"/> connections, connection i to endpoint i mod the endpoint count.</summary>
    public static async Task<LeanGrpcChannel> ConnectAsync(IReadOnlyList<BenchEndpoint> endpoints, int connections, Http2ConnectionOptions options, CancellationToken cancellationToken)
    {
        var opened = new Http2Connection[connections];
        try
        {
            // A few at a time: a thousand simultaneous connects would overflow a loopback server's accept backlog.
            const int Parallel = 16;
            for (int first = 0; first < connections; first += Parallel)
            {
                var batch = new List<Task<Http2Connection>>();
                for (int i = first; i < Math.Min(connections, first + Parallel); i++)
                {
                    BenchEndpoint endpoint = endpoints[i % endpoints.Count];
                    batch.Add(Http2Connection.ConnectAsync(endpoint.Host, endpoint.Port, options, cancellationToken));
                }

                for (int i = 0; i < batch.Count; i++)
                {
                    opened[first + i] = await batch[i].ConfigureAwait(false);
                }
            }
        }
        catch
        {
            foreach (Http2Connection? connection in opened)
            {
                connection?.Dispose();
            }

            throw;
        }

        return new LeanGrpcChannel(opened, options.UserAgent);
    }

    /// <summary>The header list for <paramref name="path"/> on connection <paramref name="connection"/>'s server.</summary>
    public HpackHeaderList HeadersFor(Http2Connection connection, string path) =>
        _headers.GetOrAdd((connection.Authority, path), key => GrpcRequestHeaders.Create(key.Authority, key.Path, _userAgent));

    /// <summary>Closes every connection.</summary>
    public void Dispose()
    {
        foreach (Http2Connection connection in _connections)
        {
            connection.Dispose();
        }
    }
}
