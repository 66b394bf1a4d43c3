namespace Cairn.Storage.Wal;

/// <summary>
/// Receives entries read from the WAL in place. Implement it on a struct and pass it by reference to
/// <see cref="WriteAheadLog.ReadEntries{TVisitor}(ulong, ulong, ulong, ref TVisitor)"/>: no allocation,
/// and the data is not copied unless the visitor copies it.
/// </summary>
public interface IWalEntryVisitor
{
    /// <summary>Called for each entry in index order.</summary>
    /// <param name="entry">The entry; its <see cref="WalEntryView.Data"/> is valid only during this call.</param>
    /// <returns>True to continue with the next entry, false to stop.</returns>
    bool Visit(in WalEntryView entry);
}
