using System.Diagnostics;
using Cairn.Raft;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Node;

/// <summary>
/// The loop thread: the only thread that touches raft. Each iteration waits for work or the next tick, then ticks,
/// runs queued actions, steps peer messages, hands every queued proposal to raft as one batch, issues one ReadIndex
/// for all waiting reads, and handles Readies until raft has nothing more to do.
/// </summary>
public sealed partial class EtcdNode
{
    private readonly List<ulong> _unreachable = [];
    private readonly List<(ulong PeerId, bool Succeeded)> _snapshotReports = [];
    private long _tickIntervalTimestamp;
    private long _lastProgressTimestamp;

    private void RunLoop()
    {
        Exception? failure = null;
        try
        {
            _tickIntervalTimestamp = Math.Max(1, (long)(_options.TickInterval.TotalSeconds * Stopwatch.Frequency));
            long nextTick = Stopwatch.GetTimestamp() + _tickIntervalTimestamp;
            ProcessReadies();
            MaybeCampaign();
            while (!_stopRequested)
            {
                WaitForWork(nextTick);
                long now = Stopwatch.GetTimestamp();
                if (now >= nextTick)
                {
                    _raft.Tick();
                    OnTick(now);
                    nextTick = Math.Max(nextTick + _tickIntervalTimestamp, now + (_tickIntervalTimestamp / 2));
                }

                RunIteration(now);
            }
        }
        catch (Exception error)
        {
            failure = error;
            NodeLog.Fatal(_log, error, error.Message);
        }
        finally
        {
            Shutdown(failure ?? _removal);
        }
    }

    private void RunIteration(long now)
    {
        RunLoopActions();
        StepInbox();
        DrainProposals(now);
        IssueReadIndex(now);
        ProcessReadies();
        ReportUnreachable();
        if (_proposalQueue.IsEmpty && _loopActions.IsEmpty && State.Store.HasMaintenanceWork)
        {
            // Physical compaction and value-file reclamation, one bounded step while nothing else waits.
            if (State.RunMaintenance())
            {
                Wake();
            }
        }
    }

    private void WaitForWork(long nextTickTimestamp)
    {
        long remaining = nextTickTimestamp - Stopwatch.GetTimestamp();
        if (remaining > 0 && Volatile.Read(ref _wakeRequested) == 0)
        {
            int timeoutMs = (int)Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency);
            _wake.Wait(timeoutMs);
        }

        // Clear the signal before looking at the queues: anything enqueued from here on sets it again.
        _wake.Reset();
        Volatile.Write(ref _wakeRequested, 0);
    }

    private void OnTick(long now)
    {
        StopIfRemoved(now);
        ExpireAndCheckpointLeases();
        SweepTimedOut(now);
        MaybeCampaign();
        MaybeBootstrapMembership();
        MaybeAutoCompact(now);
        ReportReplayProgress(now);
    }

    private void RunLoopActions()
    {
        while (_loopActions.TryDequeue(out Action? action))
        {
            action();
        }
    }

    private void StepInbox()
    {
        while (_inbox.TryDequeue(out Message? message))
        {
            _raft.Step(message);
        }
    }

    private void ReportUnreachable()
    {
        _transport.TakeUnreachable(_unreachable);
        foreach (ulong peer in _unreachable)
        {
            _raft.ReportUnreachable(peer);
        }

        _unreachable.Clear();
        _transport.TakeSnapshotReports(_snapshotReports);
        foreach ((ulong peer, bool succeeded) in _snapshotReports)
        {
            _raft.ReportSnapshot(peer, succeeded);
        }

        _snapshotReports.Clear();
    }

    /// <summary>A single-voter member campaigns at once instead of waiting an election timeout (start-to-healthy time).</summary>
    private void MaybeCampaign()
    {
        if (_raft.Role == RaftRole.Follower && _raft.Leader == 0
            && _confState.Voters.Count == 1 && _confState.Voters[0] == MemberId && _appliedIndex >= _raft.Status().HardState.Commit)
        {
            _raft.Campaign();
            ProcessReadies();
        }
    }

    private void ReportReplayProgress(long now)
    {
        if (_serving.Task.IsCompleted || now - _lastProgressTimestamp < Stopwatch.Frequency)
        {
            return;
        }

        _lastProgressTimestamp = now;
        ulong commit = Math.Max(_startupCommitIndex, _raft.Status().HardState.Commit);
        NodeLog.ReplayProgress(_log, _appliedIndex, commit);
        _progress?.Invoke($"recovering: applied {_appliedIndex} of {commit} committed entries");
    }

    private void Shutdown(Exception? failure)
    {
        _failure = failure;
        _stopRequested = true;
        FailEverythingPending(NodeErrors.Stopped);
        while (_loopActions.TryDequeue(out Action? action))
        {
            action();
        }

        if (failure is not null)
        {
            _serving.TrySetException(failure);
        }
        else
        {
            _serving.TrySetCanceled();
        }

        _stopped.TrySetResult(failure);
    }
}
