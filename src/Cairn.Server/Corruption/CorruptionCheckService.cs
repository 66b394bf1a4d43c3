using Cairn.Client;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;
using Cairn.Protocol.Internal;
using Cairn.Server.Node;
using Cairn.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Corruption;

/// <summary>When and whether members compare their key-value history.</summary>
/// <param name="Initial">Compare once, as soon as this member knows a leader (etcd's initial corruption check).</param>
/// <param name="Interval">How often the leader compares (etcd's --experimental-corrupt-check-time); null for never.</param>
public sealed record CorruptionCheckOptions(bool Initial, TimeSpan? Interval);

/// <summary>
/// etcd's corruption checks: this member computes HashKV at its current revision and asks every voting peer, over the
/// client URLs in the member list, for HashKV at that same revision. Members that differ under the same compaction
/// revision get the CORRUPT alarm, proposed through raft, so every member then refuses writes with "etcdserver:
/// corrupt cluster" as etcd does. The initial check runs on every member once it knows a leader; the periodic one on
/// the leader only. Unlike etcd, whose initial check runs before serving and exits on a mismatch, the initial check
/// here runs after the member serves and raises the alarm.
/// </summary>
public sealed class CorruptionCheckService(EtcdNode node, CorruptionCheckOptions options, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan PeerCallTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BehindRetryDelay = TimeSpan.FromMilliseconds(200);
    private const int BehindRetries = 25;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (options.Initial)
            {
                while (node.LeaderId == 0)
                {
                    await Task.Delay(100, stoppingToken).ConfigureAwait(false);
                }

                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }

            if (options.Interval is TimeSpan interval)
            {
                using var timer = new PeriodicTimer(interval);
                while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                {
                    if (node.LeaderId == node.MemberId)
                    {
                        await CheckAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One comparison; failures are logged, never thrown (a failed check must not stop the server).</summary>
    private async Task CheckAsync(CancellationToken stop)
    {
        try
        {
            HashKVResponse own = node.State.Store.HashKV(0);
            long revision = own.Header.Revision;
            var answers = new List<MemberHash>();
            foreach (Member peer in node.State.Cluster.List().Members)
            {
                if (peer.ID != node.MemberId && !peer.IsLearner && peer.ClientURLs.Count > 0
                    && await AskAsync(peer, revision, stop).ConfigureAwait(false) is MemberHash answer)
                {
                    answers.Add(answer);
                }
            }

            var self = new MemberHash(node.MemberId, own.Hash, own.CompactRevision);
            IReadOnlyList<ulong> corrupt = HashComparison.FindCorrupt(self, answers);
            if (corrupt.Count == 0)
            {
                CorruptionCheckLog.Agreed(logger, revision, answers.Count, own.Hash);
                return;
            }

            string hashes = string.Join(", ", answers.Prepend(self).Select(m => $"{m.MemberId:x}={m.Hash} (compacted at {m.CompactRevision})"));
            foreach (ulong memberId in corrupt)
            {
                CorruptionCheckLog.Mismatch(logger, revision, memberId, hashes);
                await RaiseAlarmAsync(memberId, stop).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            CorruptionCheckLog.CheckFailed(logger, error.Message);
        }
    }

    /// <summary>The peer's HashKV at <paramref name="revision"/>, waiting briefly while it has not applied that far;
    /// null when it cannot answer (down, compacted past the revision, auth required).</summary>
    private async Task<MemberHash?> AskAsync(Member peer, long revision, CancellationToken stop)
    {
        var clientOptions = new EtcdClientOptions { DefaultCallTimeout = PeerCallTimeout };
        foreach (string url in peer.ClientURLs)
        {
            clientOptions.Endpoints.Add(url);
        }

        using var client = new EtcdClient(clientOptions);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                HashKVResponse answer = await client.Maintenance.HashKVAsync(new HashKVRequest { Revision = revision }, stop).ConfigureAwait(false);
                return new MemberHash(peer.ID, answer.Hash, answer.CompactRevision);
            }
            catch (RpcException behind) when (behind.Message == EtcdError.FutureRevision.Message && attempt < BehindRetries)
            {
                await Task.Delay(BehindRetryDelay, stop).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                CorruptionCheckLog.PeerFailed(logger, revision, peer.ID, error.Message);
                return null;
            }
        }
    }

    private async Task RaiseAlarmAsync(ulong memberId, CancellationToken stop)
    {
        if (node.State.Alarms.List().Exists(alarm => alarm.MemberID == memberId && alarm.Alarm == AlarmType.Corrupt))
        {
            return;
        }

        var alarm = new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Activate, MemberID = memberId, Alarm = AlarmType.Corrupt };
        await node.ProposeAsync(new InternalRequest { Alarm = alarm }, stop).ConfigureAwait(false);
    }
}
