namespace Cairn.Storage.Wal;

/// <summary>An entry read in place from a mapped segment. Valid only during the visitor call that received it.</summary>
public readonly ref struct WalEntryView
{
    internal WalEntryView(ulong index, ulong term, byte type, ReadOnlySpan<byte> data)
    {
        Index = index;
        Term = term;
        Type = type;
        Data = data;
    }

    /// <summary>The entry's log index.</summary>
    public ulong Index { get; }

    /// <summary>The entry's term.</summary>
    public ulong Term { get; }

    /// <summary>The entry type.</summary>
    public byte Type { get; }

    /// <summary>The entry's data, pointing into the mapped segment (not copied).</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Copies the entry into a <see cref="WalEntry"/> that owns its data.</summary>
    /// <returns>The copy.</returns>
    public WalEntry ToEntry() => new(Index, Term, Type, Data.ToArray());
}
