using System.Globalization;
using Cairn.Storage.Wal;

namespace Cairn.StorageCrashTest;

/// <summary>
/// Checks the "append" workload: every acknowledged entry after the snapshot is present with exactly the
/// data its writer appended; every entry present (acknowledged or not) is intact; the hard state and the
/// snapshot marker are at least as new as the last acknowledged ones.
/// </summary>
internal sealed class AppendVerifier : ICrashVerifier
{
    private readonly Dictionary<ulong, (int Writer, long Sequence)> _acknowledged = [];
    private ulong _acknowledgedCommit;
    private ulong _acknowledgedSnapshot;

    public void Acknowledged(string line)
    {
        string[] parts = line.Split(' ');
        switch (parts[0])
        {
            case "A":
                ulong index = ulong.Parse(parts[1], CultureInfo.InvariantCulture);
                var value = (int.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture));
                if (_acknowledged.TryGetValue(index, out var existing) && existing != value)
                {
                    throw new CrashTestFailure($"index {index} was acknowledged twice, to {existing} and to {value}");
                }

                _acknowledged[index] = value;
                break;
            case "H":
                _acknowledgedCommit = Math.Max(_acknowledgedCommit, ulong.Parse(parts[1], CultureInfo.InvariantCulture));
                break;
            case "M":
                _acknowledgedSnapshot = Math.Max(_acknowledgedSnapshot, ulong.Parse(parts[1], CultureInfo.InvariantCulture));
                break;
            default:
                throw new CrashTestFailure($"unexpected line from the child: {line}");
        }
    }

    public CrashCycleResult Verify(string directory, int cycle)
    {
        using WriteAheadLog wal = OpenOrFail(directory, cycle);
        WalSnapshotMarker snapshot = wal.SnapshotMarker;
        Require(snapshot.Index >= _acknowledgedSnapshot, cycle, $"snapshot marker {snapshot.Index} is older than the acknowledged {_acknowledgedSnapshot}");
        Require(wal.HardState.Commit >= _acknowledgedCommit, cycle, $"hard state commit {wal.HardState.Commit} is older than the acknowledged {_acknowledgedCommit}");
        long checkedCount = 0;
        foreach (WalEntry entry in wal.ReadEntries(wal.FirstIndex, wal.LastIndex + 1))
        {
            Require(EntryPayload.IsIntact(entry.Data.Span, out int writer, out long sequence), cycle, $"entry {entry.Index} is damaged");
            if (_acknowledged.TryGetValue(entry.Index, out var expected))
            {
                Require(expected == (writer, sequence), cycle, $"entry {entry.Index} holds writer {writer} sequence {sequence}, but {expected} was acknowledged there");
                checkedCount++;
            }
        }

        foreach (ulong index in _acknowledged.Keys.Where(index => index <= snapshot.Index).ToList())
        {
            _acknowledged.Remove(index);
        }

        Require(checkedCount == _acknowledged.Count, cycle, $"{_acknowledged.Count - checkedCount} acknowledged entries after the snapshot are missing (last index {wal.LastIndex}, first missing {_acknowledged.Keys.Where(index => index > wal.LastIndex).DefaultIfEmpty().Min()})");
        return new CrashCycleResult(checkedCount, wal.Recovery.TornTailFile != null);
    }

    internal static WriteAheadLog OpenOrFail(string directory, int cycle)
    {
        try
        {
            return WriteAheadLog.Open(directory, CrashTestWal.Options());
        }
        catch (Exception error)
        {
            throw new CrashTestFailure($"cycle {cycle}: the WAL did not open after SIGKILL: {error}");
        }
    }

    internal static void Require(bool condition, int cycle, string message)
    {
        if (!condition)
        {
            throw new CrashTestFailure($"cycle {cycle}: {message}");
        }
    }
}
