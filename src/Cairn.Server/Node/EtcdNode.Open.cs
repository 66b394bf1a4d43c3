using Cairn.Protocol.Etcd;
using Cairn.Raft;
using Cairn.Storage.Alarms;
using Cairn.Storage.Cluster;
using Cairn.Storage.Durability;
using Cairn.Storage.Leases;
using Cairn.Storage.Mvcc;
using Cairn.Storage.Snapshots;
using Cairn.Storage.StateMachine;
using Cairn.Storage.Wal;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Node;

/// <summary>Starting a member: recovery from the data directory (snapshot, then WAL) or bootstrap of a new one.</summary>
public sealed partial class EtcdNode
{
    /// <summary>The directory of state snapshots under the data directory.</summary>
    public const string SnapshotDirectoryName = "snap";

    /// <summary>The directory of value files under the data directory (rebuilt on every start).</summary>
    public const string ValueDirectoryName = "values";

    /// <summary>The directory of temporary files under the data directory (emptied on start).</summary>
    public const string TemporaryDirectoryName = "tmp";

    private Action<string>? _progress;

    /// <summary>Where temporary files go (e.g. snapshots being streamed to a client); emptied on every start.</summary>
    public string TemporaryDirectory => Path.Combine(_options.DataDirectory, TemporaryDirectoryName);

    private EtcdNode(NodeOptions options, ILogger log, MemberIdentity identity, KvStateMachine state, WalRaftStorage storage,
        RawNode raft, IRaftTransport transport, Action<string>? progress)
    {
        _options = options;
        _log = log;
        _identity = identity;
        State = state;
        _storage = storage;
        _raft = raft;
        _transport = transport;
        _progress = progress;
        _quota = new QuotaGuard(state.Store, options.QuotaBackendBytes);
        long nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _requestIds = new RequestIdGenerator(identity.MemberId, nowMs);
        _leaseIds = new LeaseIdGenerator(identity.MemberId, nowMs);
        _startupCommitIndex = raft.Status().HardState.Commit;
        _openReads = new ReadBatch { Sequence = 1 };
        _confState = raft.Status().ConfState;
        _appliedIndex = state.AppliedIndex;
        _lastSnapshotIndex = state.AppliedIndex;
        _loopThread = new Thread(RunLoop) { IsBackground = true, Name = "cairn-raft-loop" };
    }

    /// <summary>
    /// Opens the member in <see cref="NodeOptions.DataDirectory"/> and starts its loop: loads the newest valid state
    /// snapshot, opens (recovers) the WAL, and hands raft the log after the snapshot; committed entries are then
    /// re-applied by the loop. A new data directory bootstraps a new cluster from the initial members.
    /// </summary>
    /// <param name="options">Where the data lives, identity inputs, timing and limits.</param>
    /// <param name="log">Where the node logs.</param>
    /// <param name="progress">Receives short recovery progress lines (systemd STATUS=), or null.</param>
    /// <param name="transport">The peer transport; null for a member without peers.</param>
    /// <exception cref="NodeStartException">The data cannot be used; the message names the file and what to do.</exception>
    public static EtcdNode Open(NodeOptions options, ILogger log, Action<string>? progress = null, IRaftTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        try
        {
            return OpenChecked(options, log, progress, transport ?? new NoPeersTransport());
        }
        catch (Exception error) when (error is StorageCorruptionException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new NodeStartException(DescribeStartFailure(error, options), error);
        }
    }

    private static EtcdNode OpenChecked(NodeOptions options, ILogger log, Action<string>? progress, IRaftTransport transport)
    {
        Directory.CreateDirectory(options.DataDirectory);
        string temporary = Path.Combine(options.DataDirectory, TemporaryDirectoryName);
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }

        MemberIdentity? identity = MemberIdentity.Load(options.DataDirectory);
        if (identity is null && HasWalSegments(options.WalDirectory))
        {
            throw new NodeStartException(
                $"{options.WalDirectory} holds a WAL but {Path.Combine(options.DataDirectory, MemberIdentity.FileName)} is missing, " +
                "so this member's identity is unknown; restore the data directory from a backup, or remove it to start a new member");
        }

        if (identity is null)
        {
            identity = MemberIdentity.Derive(options.EffectiveInitialCluster, options.PeerUrls, options.ClusterToken);
            identity.Save(options.DataDirectory);
        }

        progress?.Invoke("recovering: loading the newest state snapshot");
        KvStateMachine state = LoadState(options, identity, log);
        try
        {
            progress?.Invoke($"recovering: state at index {state.AppliedIndex}; opening the WAL");
            WriteAheadLog wal = WriteAheadLog.Open(options.WalDirectory, WalOptionsFor(options, log));
            try
            {
                CheckSnapshotMatchesWal(state, wal, options);
                EtcdNode node = Create(options, log, identity, state, wal, progress, transport);
                node._loopThread.Start();
                return node;
            }
            catch
            {
                wal.Dispose();
                throw;
            }
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    private static EtcdNode Create(NodeOptions options, ILogger log, MemberIdentity identity, KvStateMachine state,
        WriteAheadLog wal, Action<string>? progress, IRaftTransport transport)
    {
        var storage = new WalRaftStorage(wal, ConfStateOf(state), state.AppliedIndex);
        if (SnapshotFiles.FindLatestValid(SnapshotDirectory(options)) is SnapshotFileInfo latest && latest.AppliedIndex == state.AppliedIndex)
        {
            storage.SetLatestSnapshot(latest.AppliedIndex, latest.AppliedTerm, ConfStateOf(state));
        }

        var raft = new RawNode(new RaftConfig
        {
            Id = identity.MemberId,
            Storage = storage,
            ElectionTick = options.ElectionTicks,
            HeartbeatTick = 1,
            Applied = state.AppliedIndex,
            // Election jitter, not a secret: the cryptographic generator would load OpenSSL (about 4 MiB resident).
            Random = new SeededRandom((ulong)System.Random.Shared.NextInt64(long.MinValue, long.MaxValue)),
        });
        bool brandNew = wal.LastIndex == 0 && wal.HardState == default;
        if (brandNew && !options.JoinExistingCluster)
        {
            raft.Bootstrap(InitialMembers(options).Select(member => member.ID).ToArray());
            NodeLog.Bootstrapping(log, identity.MemberId, identity.ClusterId);
        }

        NodeLog.Recovered(log, identity.MemberId, state.AppliedIndex, wal.FirstIndex, wal.LastIndex, wal.Recovery.ToString());
        return new EtcdNode(options, log, identity, state, storage, raft, transport, progress);
    }

    /// <summary>The initial members (ID, name, peer URLs) of a new cluster, as the first leader bootstraps them.</summary>
    internal static List<Member> InitialMembers(NodeOptions options)
    {
        var members = new List<Member>();
        foreach (IGrouping<string, (string Name, string PeerUrl)> group in options.EffectiveInitialCluster.GroupBy(m => m.Name))
        {
            var urls = group.Select(m => m.PeerUrl).ToList();
            var member = new Member { ID = MemberIds.ForMember(urls, options.ClusterToken), Name = group.Key };
            member.PeerURLs.AddRange(MemberUrls.Sorted(urls));
            members.Add(member);
        }

        return members;
    }

    private static KvStateMachine LoadState(NodeOptions options, MemberIdentity identity, ILogger log)
    {
        var stateOptions = new StateMachineOptions
        {
            Mvcc = new MvccOptions { ValueDirectory = Path.Combine(options.DataDirectory, ValueDirectoryName), MaxTxnOps = options.MaxTxnOps },
            Leases = new LeaseOptions
            {
                MinTtlSeconds = options.MinLeaseTtlSeconds,
                CheckpointIntervalMs = (long)options.LeaseCheckpointInterval.TotalMilliseconds,
            },
            LocalMemberId = identity.MemberId,
        };
        SnapshotFileInfo? latest = SnapshotFiles.FindLatestValid(SnapshotDirectory(options),
            (path, reason) => NodeLog.DamagedSnapshotSkipped(log, path, reason));
        if (latest is not SnapshotFileInfo snapshot)
        {
            return new KvStateMachine(stateOptions);
        }

        KvStateMachine state = KvStateMachine.FromSnapshot(stateOptions, snapshot.Path);
        NodeLog.SnapshotLoaded(log, snapshot.Path, state.AppliedIndex, state.Store.CurrentRevision);
        return state;
    }

    private static void CheckSnapshotMatchesWal(KvStateMachine state, WriteAheadLog wal, NodeOptions options)
    {
        ulong applied = state.AppliedIndex;
        if (wal.FirstIndex > applied + 1)
        {
            throw new NodeStartException(
                $"the WAL in {options.WalDirectory} starts at entry {wal.FirstIndex}, but the newest valid snapshot in " +
                $"{SnapshotDirectory(options)} ends at entry {applied}: entries {applied + 1}..{wal.FirstIndex - 1} are lost " +
                "(a snapshot file is missing or damaged); restore the data directory from a backup (cairn snapshot restore)");
        }

        if (applied > wal.LastIndex)
        {
            throw new NodeStartException(
                $"the state snapshot in {SnapshotDirectory(options)} is at entry {applied}, past the end of the WAL in " +
                $"{options.WalDirectory} (entry {wal.LastIndex}): the WAL lost acknowledged entries; restore the data directory from a backup");
        }
    }

    private static ConfState ConfStateOf(KvStateMachine state)
    {
        List<Member> members = [.. state.Cluster.List().Members];
        if (members.Count == 0)
        {
            return ConfState.Empty;
        }

        return new ConfState(members.Where(m => !m.IsLearner).Select(m => m.ID), members.Where(m => m.IsLearner).Select(m => m.ID));
    }

    private static WalOptions WalOptionsFor(NodeOptions options, ILogger log) => new()
    {
        SegmentBytes = options.WalSegmentBytes,
        MaxBatchBytes = Math.Min(8 * 1024 * 1024, (options.WalSegmentBytes - (2 * 4096)) / 8 * 8),
        Log = message => NodeLog.WalEvent(log, message),
        SyncObserver = options.WalSyncObserver,
    };

    private static bool HasWalSegments(string walDirectory) =>
        Directory.Exists(walDirectory) && Directory.EnumerateFiles(walDirectory, "*.wal").Any();

    private static string SnapshotDirectory(NodeOptions options) => Path.Combine(options.DataDirectory, SnapshotDirectoryName);

    private static string DescribeStartFailure(Exception error, NodeOptions options) => error switch
    {
        StorageCorruptionException corruption => corruption.Message,
        InvalidDataException damaged => damaged.Message,
        UnauthorizedAccessException denied =>
            $"cannot use the data directory {options.DataDirectory}: {denied.Message}; fix its permissions or set data_dir (--data-dir)",
        _ => $"cannot open the data in {options.DataDirectory}: {error.Message}",
    };
}
