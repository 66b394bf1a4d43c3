namespace Cairn.Storage.Mvcc;

/// <summary>The index side of value-space compaction: re-point records whose values live in a victim space.</summary>
public sealed partial class MvccStore
{
    private byte[]? _relocationResumeKey;

    private void RelocationStep()
    {
        if (!_values.HasVictims)
        {
            _values.ReclaimRetired();
            return;
        }

        var moves = new List<(RevisionRecord[] History, int Index, ulong NewRef)>();
        var cursor = new IndexCursor();
        cursor.Seek(_index.WorkingRoot, _relocationResumeKey ?? []);
        int visited = 0;
        bool more;
        while ((more = cursor.MoveNext()) && visited < _options.MaintenanceBatchKeys)
        {
            visited++;
            RevisionRecord[] history = cursor.History;
            int count = KeyHistory.Count(history);
            for (int i = 0; i < count; i++)
            {
                if (_values.IsVictim(history[i].ValueRef))
                {
                    moves.Add((history, i, _values.Relocate(history[i].ValueRef, history[i].ValueLength)));
                }
            }
        }

        // The copies must be written before any reader can follow a new reference.
        _values.Flush();
        foreach ((RevisionRecord[] history, int index, ulong newRef) in moves)
        {
            Volatile.Write(ref history[index].ValueRef, newRef);
        }

        _relocationResumeKey = more ? cursor.Key : null;
        if (!more)
        {
            _values.FinishEvacuation();
        }
    }
}
