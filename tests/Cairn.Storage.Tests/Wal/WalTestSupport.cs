using Cairn.Storage.Wal;

namespace Cairn.Storage.Tests.Wal;

/// <summary>Shared helpers: small segments so tests exercise rollover, and deterministic entry content.</summary>
internal static class WalTestSupport
{
    internal static WalOptions SmallOptions(int segmentBytes = 64 * 1024, int maxBatchBytes = 16 * 1024, Action<string>? log = null) => new()
    {
        SegmentBytes = segmentBytes,
        MaxBatchBytes = maxBatchBytes,
        Preallocation = WalPreallocation.Fallocate,
        Log = log,
    };

    /// <summary>Data that depends on index and term, so a misplaced or stale entry is noticed.</summary>
    internal static byte[] Payload(ulong index, ulong term, int length)
    {
        byte[] data = new byte[length];
        var random = new Random(HashCode.Combine(index, term, length));
        random.NextBytes(data);
        return data;
    }

    internal static int LengthOf(ulong index) => (int)((index * 37) % 300);

    internal static WalEntry Entry(ulong index, ulong term) => Entry(index, term, LengthOf(index));

    internal static WalEntry Entry(ulong index, ulong term, int length) => new(index, term, (byte)(index % 3), Payload(index, term, length));

    internal static WalEntry[] Entries(ulong first, ulong last, ulong term)
    {
        var entries = new WalEntry[last - first + 1];
        for (ulong index = first; index <= last; index++)
        {
            entries[index - first] = Entry(index, term);
        }

        return entries;
    }

    /// <summary>Asserts that entries [first, last] are in the log with the given terms and their expected content.</summary>
    internal static void AssertEntries(WriteAheadLog wal, ulong first, ulong last, Func<ulong, ulong> termOf)
    {
        List<WalEntry> entries = wal.ReadEntries(first, last + 1);
        Assert.Equal((int)(last - first + 1), entries.Count);
        foreach (WalEntry entry in entries)
        {
            ulong term = termOf(entry.Index);
            Assert.Equal(term, entry.Term);
            Assert.Equal((byte)(entry.Index % 3), entry.Type);
            Assert.True(Payload(entry.Index, term, LengthOf(entry.Index)).AsSpan().SequenceEqual(entry.Data.Span), $"entry {entry.Index} has wrong data");
        }
    }

    internal static string SegmentPath(string directory, ulong sequence) => Path.Combine(directory, $"{sequence:x16}.wal");
}
