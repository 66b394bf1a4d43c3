using Cairn.Cli.Session;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Concurrency;

/// <summary>
/// clientv3's concurrency.Session: a lease kept alive in the background (a keep-alive every third of the TTL),
/// revoked when the session is disposed. <see cref="Lost"/> fires when the lease can no longer be kept alive.
/// </summary>
internal sealed class LeaseSession : IAsyncDisposable
{
    private readonly IEtcdSession client;
    private readonly CancellationTokenSource stop = new();
    private readonly CancellationTokenSource lost = new();
    private Task keepAlive = Task.CompletedTask;

    private LeaseSession(IEtcdSession client, long leaseId, long ttlSeconds)
    {
        this.client = client;
        LeaseId = leaseId;
        TtlSeconds = ttlSeconds;
    }

    /// <summary>The session's lease.</summary>
    public long LeaseId { get; }

    /// <summary>The granted TTL in seconds.</summary>
    public long TtlSeconds { get; }

    /// <summary>Fires when the lease expired or keep-alives failed.</summary>
    public CancellationToken Lost => lost.Token;

    /// <summary>Grants a lease of <paramref name="ttlSeconds"/> and starts keeping it alive.</summary>
    public static async Task<LeaseSession> StartAsync(IEtcdSession client, long ttlSeconds, CancellationToken cancellation)
    {
        var grant = await client.LeaseGrantAsync(new LeaseGrantRequest { TTL = ttlSeconds }, cancellation);
        var session = new LeaseSession(client, grant.ID, grant.TTL);
        session.keepAlive = Task.Run(session.KeepAliveAsync);
        return session;
    }

    private async Task KeepAliveAsync()
    {
        try
        {
            await using var stream = await client.LeaseKeepAliveAsync(stop.Token);
            while (!stop.IsCancellationRequested)
            {
                await stream.SendAsync(new LeaseKeepAliveRequest { ID = LeaseId }, stop.Token);
                var response = await stream.ReadAsync(stop.Token);
                if (response is null || response.TTL <= 0)
                {
                    break;
                }
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, response.TTL / 3)), stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch (EtcdCallException)
        {
        }
        lost.Cancel();
    }

    /// <summary>Stops the keep-alives and revokes the lease (which deletes the session's keys).</summary>
    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        await keepAlive.ContinueWith(_ => { }, TaskScheduler.Default);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = LeaseId }, deadline.Token);
        }
        catch (Exception failure) when (failure is EtcdCallException or OperationCanceledException)
        {
            // The lease expires on its own after its TTL.
        }
        stop.Dispose();
        lost.Dispose();
    }
}
