using Cairn.Raft;
using Cairn.Server.Node;
using Cairn.Storage.Wal;

namespace Cairn.Server.Tests.Node;

/// <summary>Raft's storage on the WAL: the in-memory tail cache must never change what raft reads back.</summary>
public sealed class WalRaftStorageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cairn-walraft-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Entries_read_back_the_same_while_the_cache_trims_past_its_limit()
    {
        using WriteAheadLog wal = WriteAheadLog.Open(_directory, new WalOptions { SegmentBytes = 16 << 20 });
        var storage = new WalRaftStorage(wal, ConfState.Empty, 0);
        int total = WalRaftStorage.MaxCachedEntries + (WalRaftStorage.MaxCachedEntries / 2) + 7;
        for (ulong first = 1; first <= (ulong)total; first += 16)
        {
            // Sixteen entries per append (one WAL sync each); the cache passes its limit and trims in steps as it goes.
            var entries = new List<Entry>();
            for (ulong index = first; index < first + 16 && index <= (ulong)total; index++)
            {
                entries.Add(new Entry(index, 1, EntryType.Normal, Payload(index)));
            }

            storage.Append(entries, new HardState(1, 0, entries[^1].Index));
        }

        // Old entries come from the WAL, recent ones from the cache; every index reads back its own data and term.
        foreach ((ulong low, ulong high) in new[] { (1UL, 50UL), ((ulong)total - 9000, (ulong)total - 8990), ((ulong)total - 20, (ulong)total + 1) })
        {
            var read = new List<Entry>();
            Assert.Equal(StorageLookup.Ok, storage.TryGetEntries(low, high, ulong.MaxValue, read));
            Assert.Equal((int)(high - low), read.Count);
            for (int i = 0; i < read.Count; i++)
            {
                Assert.Equal(low + (ulong)i, read[i].Index);
                Assert.Equal(Payload(read[i].Index), read[i].Data.ToArray());
            }
        }

        Assert.Equal(StorageLookup.Ok, storage.TryGetTerm((ulong)total, out ulong term));
        Assert.Equal(1UL, term);
    }

    private static byte[] Payload(ulong index) => BitConverter.GetBytes(index * 2654435761UL);
}
