using Cairn.Protocol.Etcd;
using Cairn.Raft;
using Cairn.Server.Metrics;
using Cairn.Server.Node;
using Cairn.Storage.Snapshots;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Peers;

/// <summary>
/// The raft peer transport (docs/CLUSTER.md): one long-lived outbound TCP stream per peer (<see cref="PeerSender"/>)
/// and a listener for the streams of the others (<see cref="PeerListener"/>). <see cref="Send"/> runs on the node loop:
/// it encodes each message into a pooled frame and queues it, never blocking; a message that cannot be queued is
/// dropped and its recipient reported unreachable. Create it, pass it to <see cref="EtcdNode.Open"/>, then
/// <see cref="Attach"/> the opened node.
/// </summary>
public sealed class PeerTransport : IRaftTransport, IPeerRequests, IAsyncDisposable
{
    private readonly PeerTransportOptions _options;
    private readonly ILogger _log;
    private readonly IReadOnlyList<Member> _initialMembers;
    private readonly Dictionary<ulong, PeerSender> _senders = [];
    private readonly HashSet<ulong> _unreachable = [];
    private readonly List<(ulong PeerId, bool Succeeded)> _snapshotReports = [];
    private readonly Lock _reportsLock = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile EtcdNode? _node;
    private volatile IReadOnlyDictionary<ulong, string[]>? _members;
    private volatile IReadOnlySet<ulong> _removed = new HashSet<ulong>();

    /// <summary>Creates the transport; <paramref name="initialMembers"/> give peer URLs until the cluster's member list
    /// (which also covers members added later) is known. <paramref name="metrics"/> receives the per-peer counters.</summary>
    public PeerTransport(PeerTransportOptions options, IReadOnlyList<Member> initialMembers, ILogger log, PeerTransportMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(initialMembers);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        _options = options;
        _initialMembers = initialMembers;
        _log = log;
        Metrics = metrics ?? new PeerTransportMetrics();
        Exchange = new PeerExchange(this);
    }

    /// <summary>The per-peer counters /metrics reports.</summary>
    public PeerTransportMetrics Metrics { get; }

    /// <summary>The limits the transport runs with.</summary>
    public PeerTransportOptions Options => _options;

    /// <summary>This member's ID (0 until <see cref="Attach"/>).</summary>
    public ulong LocalId => _node?.MemberId ?? 0;

    /// <summary>This member's cluster ID (0 until <see cref="Attach"/>).</summary>
    public ulong ClusterId => _node?.ClusterId ?? 0;

    /// <summary>Raised on the node loop after every change of the member list, with the new list. A handler must not
    /// block (it holds up the loop): the host starts the peer listener of a member that was alone from here.</summary>
    public event Action<IReadOnlyList<Member>>? MembersUpdated;

    /// <summary>Request/response calls to other members (lease calls a follower forwards to the leader).</summary>
    internal PeerExchange Exchange { get; }

    /// <summary>The node incoming messages go to; null until attached.</summary>
    internal EtcdNode? Node => _node;

    /// <summary>Connects the transport to the opened node: from now on messages are sent and received.</summary>
    public void Attach(EtcdNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _node = node;
        ConnectToEveryMember();
    }

    /// <inheritdoc />
    public void MembersChanged(IReadOnlyList<Member> members, IReadOnlyCollection<ulong> removedIds)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(removedIds);
        var urls = members.ToDictionary(m => m.ID, m => m.PeerURLs.ToArray());
        _members = urls;
        _removed = removedIds.ToHashSet();
        lock (_senders)
        {
            foreach ((ulong id, PeerSender sender) in _senders.ToList())
            {
                bool gone = !urls.TryGetValue(id, out string[]? current);
                if (gone || (sender.ConnectedUrl is string connected && !current!.Contains(connected, StringComparer.Ordinal)))
                {
                    // A removed member's stream closes; an updated one reconnects to its new URLs through a new sender.
                    sender.Retire();
                    _senders.Remove(id);
                    PeerLog.PeerRetired(_log, id, gone ? "removed from the cluster" : "its peer URLs changed");
                }
            }
        }

        ConnectToEveryMember();
        MembersUpdated?.Invoke(members);
    }

    /// <inheritdoc />
    public void Send(IReadOnlyList<Message> messages)
    {
        for (int i = 0; i < messages.Count; i++)
        {
            Message message = messages[i];
            PeerSender? sender = SenderFor(message.To);
            if (sender is null || !sender.IsConnected)
            {
                Undeliverable(message);
                continue;
            }

            FileStream? snapshotFile = message.Type == MessageType.Snapshot ? OpenSnapshotFile(message) : null;
            if (message.Type == MessageType.Snapshot && snapshotFile is null)
            {
                continue;
            }

            OutboundFrame frame = OutboundFrame.Encode(message, snapshotFile);
            if (!sender.TryEnqueue(frame))
            {
                frame.Release();
                Undeliverable(message);
            }
        }
    }

    /// <inheritdoc />
    public Task<byte[]> AskAsync(ulong peerId, PeerRequestKind kind, byte[] payload, CancellationToken cancellationToken) =>
        Exchange.AskAsync(peerId, kind, payload, cancellationToken);

    /// <summary>Queues an encoded frame for <paramref name="peerId"/>; false (and the frame released) when the peer is not
    /// connected or its queue is full.</summary>
    internal bool TryEnqueue(ulong peerId, OutboundFrame frame)
    {
        PeerSender? sender = SenderFor(peerId);
        if (sender is not null && sender.TryEnqueue(frame))
        {
            return true;
        }

        frame.Release();
        return false;
    }

    /// <inheritdoc />
    public void TakeUnreachable(List<ulong> into)
    {
        lock (_reportsLock)
        {
            if (_unreachable.Count > 0)
            {
                into.AddRange(_unreachable);
                _unreachable.Clear();
            }
        }
    }

    /// <inheritdoc />
    public void TakeSnapshotReports(List<(ulong PeerId, bool Succeeded)> into)
    {
        lock (_reportsLock)
        {
            into.AddRange(_snapshotReports);
            _snapshotReports.Clear();
        }
    }

    /// <inheritdoc />
    public bool IsConnected(ulong peerId, TimeSpan duration)
    {
        lock (_senders)
        {
            return _senders.TryGetValue(peerId, out PeerSender? sender) && sender.IsConnectedFor(duration);
        }
    }

    /// <summary>Stops every outbound stream.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        PeerSender[] senders;
        lock (_senders)
        {
            senders = [.. _senders.Values];
        }

        foreach (PeerSender sender in senders)
        {
            await sender.Completion.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    internal void ReportUnreachable(ulong peerId)
    {
        lock (_reportsLock)
        {
            _unreachable.Add(peerId);
        }

        _node?.WakeForTransport();
    }

    /// <summary>A peer refused this member as removed from the cluster: the member stops, as etcd's does.</summary>
    internal void ReportRemovedByPeer(ulong peerId) => _node?.StopAsRemoved(peerId);

    /// <summary>Whether <paramref name="memberId"/> was removed from the cluster (its streams are closed and refused).</summary>
    internal bool IsRemoved(ulong memberId) => _removed.Contains(memberId);

    internal void ReportSnapshot(ulong peerId, bool succeeded)
    {
        Metrics.For(peerId).SnapshotSent(succeeded);
        lock (_reportsLock)
        {
            _snapshotReports.Add((peerId, succeeded));
        }

        _node?.WakeForTransport();
    }

    /// <summary>The peer URLs of <paramref name="memberId"/>: from the cluster's member list once it is known, else the
    /// initial cluster (or, for a joining member, the member list the cluster answered).</summary>
    internal IReadOnlyList<string> PeerUrlsOf(ulong memberId)
    {
        if (_members is IReadOnlyDictionary<ulong, string[]> members)
        {
            return members.TryGetValue(memberId, out string[]? urls) ? urls : [];
        }

        foreach (Member member in _initialMembers)
        {
            if (member.ID == memberId)
            {
                return [.. member.PeerURLs];
            }
        }

        return [];
    }

    /// <summary>Whether <paramref name="memberId"/> may stream to this member: a member of the cluster (or of the initial
    /// cluster, before the member list is applied).</summary>
    internal bool IsKnownMember(ulong memberId) => PeerUrlsOf(memberId).Count > 0;

    /// <summary>Where a received state snapshot is stored (the data directory's temp and snapshot directories).</summary>
    internal (string TemporaryDirectory, string SnapshotDirectory) SnapshotDirectories()
    {
        EtcdNode node = _node ?? throw new InvalidOperationException("the transport is not attached to a node");
        return (node.TemporaryDirectory, Path.Combine(node.Options.DataDirectory, EtcdNode.SnapshotDirectoryName));
    }

    /// <summary>Opens a stream to every member, not only those raft talks to now: the strict reconfiguration checks ask
    /// whether all members are connected, and a follower otherwise never dials the other followers.</summary>
    private void ConnectToEveryMember()
    {
        if (_node is not EtcdNode node)
        {
            return;
        }

        IEnumerable<ulong> ids = _members?.Keys ?? _initialMembers.Select(m => m.ID);
        foreach (ulong id in ids)
        {
            if (id != node.MemberId)
            {
                SenderFor(id);
            }
        }
    }

    private PeerSender? SenderFor(ulong peerId)
    {
        if (_node is null || peerId == 0 || _stop.IsCancellationRequested)
        {
            return null;
        }

        lock (_senders)
        {
            if (!_senders.TryGetValue(peerId, out PeerSender? sender))
            {
                sender = new PeerSender(this, peerId, _options, _log);
                _senders[peerId] = sender;
                sender.Start(_stop.Token);
            }

            return sender;
        }
    }

    private void Undeliverable(Message message)
    {
        lock (_reportsLock)
        {
            _unreachable.Add(message.To);
            if (message.Type == MessageType.Snapshot)
            {
                _snapshotReports.Add((message.To, false));
            }
        }
    }

    /// <summary>Opens the state snapshot file a raft snapshot message stands for (raft only carries its index and term).</summary>
    private FileStream? OpenSnapshotFile(Message message)
    {
        Snapshot snapshot = message.Snapshot!;
        (_, string directory) = SnapshotDirectories();
        string path = Path.Combine(directory, SnapshotFiles.FileName(snapshot.Index, snapshot.Term));
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            PeerLog.SnapshotFailed(_log, message.To, $"cannot open {path}: {error.Message}");
            Undeliverable(message);
            return null;
        }
    }
}
