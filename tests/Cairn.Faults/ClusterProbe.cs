using Cairn.Client;
using Cairn.Protocol.Etcd;

namespace Cairn.Faults;

/// <summary>Asks members who leads (Maintenance.Status) and polls until a condition holds.</summary>
public static class ClusterProbe
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The index of the member that reports itself leader, among <paramref name="candidates"/> (all when
    /// null), waiting up to <paramref name="timeout"/>; a member's own word counts only if a member
    /// outside it agrees or it is the only one asked, so an isolated stale leader is not taken for the leader.
    /// </summary>
    public static async Task<int> WaitForLeaderAsync(IReadOnlyList<string> endpoints, TimeSpan timeout, IReadOnlyCollection<int>? candidates = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var statuses = new (ulong MemberId, ulong LeaderId)?[endpoints.Count];
            for (int i = 0; i < endpoints.Count; i++)
            {
                if (candidates is null || candidates.Contains(i))
                {
                    statuses[i] = await TryStatusAsync(endpoints[i]);
                }
            }

            int leader = AgreedLeader(statuses);
            if (leader >= 0)
            {
                return leader;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"no agreed leader among {string.Join(", ", endpoints)} after {timeout}");
            }

            await Task.Delay(PollInterval, CancellationToken.None);
        }
    }

    /// <summary>Member id and leader id as member <paramref name="endpoint"/> sees them, or null when it does not answer.</summary>
    public static async Task<(ulong MemberId, ulong LeaderId)?> TryStatusAsync(string endpoint)
    {
        try
        {
            using EtcdClient client = EtcdClient.Connect(endpoint);
            StatusResponse status = await client.Maintenance.StatusAsync(new StatusRequest(), new CallOptions { Timeout = StatusTimeout });
            return (status.Header.MemberId, status.Leader);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static int AgreedLeader((ulong MemberId, ulong LeaderId)?[] statuses)
    {
        for (int i = 0; i < statuses.Length; i++)
        {
            if (statuses[i] is not { } self || self.LeaderId == 0 || self.LeaderId != self.MemberId)
            {
                continue;
            }

            int answered = 0;
            int agreeing = 0;
            foreach (var other in statuses)
            {
                if (other is { } seen)
                {
                    answered++;
                    agreeing += seen.LeaderId == self.MemberId ? 1 : 0;
                }
            }

            if (agreeing * 2 > answered || answered == 1)
            {
                return i;
            }
        }

        return -1;
    }
}
