namespace Cairn.Storage;

/// <summary>The MVCC key-value store. Not built yet: see issue 3.</summary>
public sealed class MvccStore
{
}
