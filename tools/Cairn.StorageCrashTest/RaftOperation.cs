using System.Globalization;
using Cairn.Storage.Wal;

namespace Cairn.StorageCrashTest;

/// <summary>
/// One operation of the Raft-follower workload, with a one-line text form the child prints before running
/// it ("P ...") so the verifier knows what may have happened when the child died in the middle of it.
/// </summary>
public sealed record RaftOperation(char Kind, ulong Index, ulong Count, ulong Term, WalHardState? HardState)
{
    /// <summary>Parses the text form written by <see cref="ToString"/>.</summary>
    public static RaftOperation Parse(string text)
    {
        string[] parts = text.Split(' ');
        ulong Field(int position) => ulong.Parse(parts[position], CultureInfo.InvariantCulture);
        WalHardState? state = parts.Length == 8 ? new WalHardState(Field(5), Field(6), Field(7)) : null;
        return new RaftOperation(parts[0][0], Field(1), Field(2), Field(3), state);
    }

    /// <summary>The entries of an 'E' operation.</summary>
    public WalEntry[] Entries()
    {
        var entries = new WalEntry[Count];
        for (ulong i = 0; i < Count; i++)
        {
            entries[i] = new WalEntry(Index + i, Term, (byte)((Index + i) % 3), EntryPayload.ForEntry(Index + i, Term));
        }

        return entries;
    }

    /// <summary>Runs the operation against the WAL.</summary>
    /// <param name="wal">The WAL.</param>
    /// <param name="releaseSegments">Whether a snapshot operation also deletes the segments it covers.</param>
    public void ApplyTo(WriteAheadLog wal, bool releaseSegments = true)
    {
        switch (Kind)
        {
            case 'E':
                wal.Append(Entries(), HardState);
                break;
            case 'S':
                wal.MarkSnapshot(Index, Term);
                if (releaseSegments)
                {
                    wal.ReleaseSegments();
                }

                break;
            case 'R':
                wal.ResetToSnapshot(Index, Term);
                break;
            default:
                throw new InvalidOperationException($"unknown operation kind '{Kind}'");
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        string state = HardState is WalHardState hs ? FormattableString.Invariant($" H {hs.Term} {hs.Vote} {hs.Commit}") : string.Empty;
        return FormattableString.Invariant($"{Kind} {Index} {Count} {Term}{state}");
    }
}
