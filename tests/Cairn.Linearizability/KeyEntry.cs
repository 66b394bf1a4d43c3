namespace Cairn.Linearizability;

/// <summary>
/// An operation on one key prepared for the search: values interned to ints, unknown outcomes given an
/// infinite return time (they may take effect at any point after their invocation, or never).
/// </summary>
internal readonly record struct KeyEntry(
    Operation Source,
    OperationKind Kind,
    long InvokeTicks,
    long ReturnTicks,
    bool Required,
    int WriteValueId,
    int ReadValueId,
    int CompareValueId)
{
    /// <summary>Sentinel id for a value no write in the history produced: it never matches a state.</summary>
    public const int NeverWritten = -2;
}
