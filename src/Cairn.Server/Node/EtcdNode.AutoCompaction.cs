using System.Diagnostics;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;

namespace Cairn.Server.Node;

/// <summary>
/// Automatic compaction as etcd 3.4's compactors do it, run by the leader. Periodic: the revision is sampled every
/// tenth of the retention window (at most an hour), and every window (at most an hour) history older than the
/// retention is compacted. Revision: every five minutes, compact to the current revision minus the retention.
/// </summary>
public sealed partial class EtcdNode
{
    private static readonly TimeSpan RevisionModeInterval = TimeSpan.FromMinutes(5);
    private readonly Queue<(long Timestamp, long Revision)> _revisionSamples = new();
    private long _nextRevisionSampleTimestamp;
    private long _nextCompactionTimestamp;
    private long _lastAutoCompactedRevision;

    private void MaybeAutoCompact(long now)
    {
        if (!_isLeader || (_options.AutoCompactionPeriod <= TimeSpan.Zero && _options.AutoCompactionRevisions <= 0))
        {
            return;
        }

        long revision = _options.AutoCompactionRevisions > 0 ? RevisionModeTarget(now) : PeriodicModeTarget(now);
        if (revision > _lastAutoCompactedRevision && revision > State.Store.CompactRevision && revision <= State.Store.CurrentRevision)
        {
            _lastAutoCompactedRevision = revision;
            NodeLog.AutoCompacting(_log, revision);
            ProposeInternal(new InternalRequest { Compaction = new CompactionRequest { Revision = revision } }, result =>
            {
                if (result?.Error is Cairn.Storage.EtcdError error)
                {
                    NodeLog.AutoCompactionFailed(_log, revision, error.Message);
                }
            });
        }
    }

    private long RevisionModeTarget(long now)
    {
        if (now < _nextCompactionTimestamp)
        {
            return 0;
        }

        _nextCompactionTimestamp = now + ToTimestamp(RevisionModeInterval);
        return State.Store.CurrentRevision - _options.AutoCompactionRevisions;
    }

    private long PeriodicModeTarget(long now)
    {
        TimeSpan window = _options.AutoCompactionPeriod < TimeSpan.FromHours(1) ? _options.AutoCompactionPeriod : TimeSpan.FromHours(1);
        if (now >= _nextRevisionSampleTimestamp)
        {
            _revisionSamples.Enqueue((now, State.Store.CurrentRevision));
            _nextRevisionSampleTimestamp = now + ToTimestamp(window / 10);
        }

        if (_nextCompactionTimestamp == 0)
        {
            _nextCompactionTimestamp = now + ToTimestamp(window);
        }

        if (now < _nextCompactionTimestamp)
        {
            return 0;
        }

        _nextCompactionTimestamp = now + ToTimestamp(window);
        long retention = ToTimestamp(_options.AutoCompactionPeriod);
        long target = 0;
        while (_revisionSamples.TryPeek(out (long Timestamp, long Revision) sample) && now - sample.Timestamp >= retention)
        {
            target = sample.Revision;
            _revisionSamples.Dequeue();
        }

        return target;
    }

    private static long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
