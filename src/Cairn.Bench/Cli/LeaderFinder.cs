using Cairn.Bench.Grpc;
using Cairn.Bench.Running;
using Cairn.Client;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;

namespace Cairn.Bench.Cli;

/// <summary><c>--target-leader</c>: asks every endpoint for its status and keeps the one that is the leader.</summary>
internal static class LeaderFinder
{
    /// <summary>The leader among <paramref name="endpoints"/>.</summary>
    /// <exception cref="BenchException">No endpoint answers, or none is the leader.</exception>
    public static async Task<BenchEndpoint> FindAsync(IReadOnlyList<BenchEndpoint> endpoints, TimeSpan dialTimeout)
    {
        var options = new EtcdClientOptions { DialTimeout = dialTimeout, DefaultCallTimeout = dialTimeout + TimeSpan.FromSeconds(5) };
        foreach (BenchEndpoint endpoint in endpoints)
        {
            options.Endpoints.Add(endpoint.ToString());
        }

        using var client = new EtcdClient(options);
        var problems = new List<string>();
        for (int i = 0; i < endpoints.Count; i++)
        {
            try
            {
                StatusResponse status = await client.Invoker.UnaryToEndpointAsync(i, EtcdMethods.Maintenance.Status, new StatusRequest(), StatusResponse.Parser).ConfigureAwait(false);
                if (status.Leader != 0 && status.Leader == status.Header.MemberId)
                {
                    return endpoints[i];
                }
            }
            catch (RpcException error)
            {
                problems.Add($"{endpoints[i]}: {error.Message}");
            }
        }

        string detail = problems.Count > 0 ? " (" + string.Join("; ", problems) + ")" : string.Empty;
        throw new BenchException($"--target-leader: none of the endpoints is the leader{detail}; list the leader's endpoint or drop --target-leader");
    }
}
