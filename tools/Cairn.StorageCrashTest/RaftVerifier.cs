using Cairn.Storage.Wal;

namespace Cairn.StorageCrashTest;

/// <summary>
/// Checks the "raft" workload exactly: the WAL must equal the model after all acknowledged operations, or
/// after those plus the one operation that was in flight when the child died (all of it or none of it).
/// </summary>
internal sealed class RaftVerifier : ICrashVerifier
{
    private RaftLogModel _model = new();
    private RaftOperation? _pending;

    public void Acknowledged(string line)
    {
        if (line.StartsWith("P ", StringComparison.Ordinal))
        {
            _pending = RaftOperation.Parse(line[2..]);
        }
        else if (line == "K" && _pending != null)
        {
            _model.Apply(_pending);
            _pending = null;
        }
        else
        {
            throw new CrashTestFailure($"unexpected line from the child: {line}");
        }
    }

    public CrashCycleResult Verify(string directory, int cycle)
    {
        using WriteAheadLog wal = AppendVerifier.OpenOrFail(directory, cycle);
        if (!_model.Matches(wal, out string difference))
        {
            RaftLogModel? withPending = null;
            if (_pending != null)
            {
                withPending = _model.Clone();
                withPending.Apply(_pending);
            }

            string differenceWithPending = string.Empty;
            AppendVerifier.Require(
                withPending != null && withPending.Matches(wal, out differenceWithPending),
                cycle,
                $"the WAL matches neither the acknowledged state ({difference}) nor that plus the in-flight operation {_pending} ({differenceWithPending})");
            _model = withPending!;
        }

        _pending = null;
        return new CrashCycleResult((long)(_model.LastIndex - _model.Snapshot.Index) + 1, wal.Recovery.TornTailFile != null);
    }
}
