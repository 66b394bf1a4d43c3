namespace Cairn.Linearizability;

/// <summary>The KV operations the checker models (single key each).</summary>
public enum OperationKind
{
    /// <summary>Range on one key: returns the value (or absence) and its mod_revision.</summary>
    Get,
    /// <summary>Put of a unique value: returns the new revision.</summary>
    Put,
    /// <summary>DeleteRange on one key: returns the deleted count and the header revision.</summary>
    Delete,
    /// <summary>Txn: if (compare) then put(value); returns succeeded and the header revision.</summary>
    CompareAndSet,
}

/// <summary>What the client knows about whether an operation took effect.</summary>
public enum Outcome
{
    /// <summary>The server answered; the result fields are valid.</summary>
    Ok,
    /// <summary>The server said the request was not applied (e.g. invalid argument): it is dropped from the history.</summary>
    Failed,
    /// <summary>
    /// Timeout, connection loss, leader change, deadline: it may or may not have taken effect, at any time
    /// after its invocation, so it stays pending forever.
    /// </summary>
    Unknown,
}

/// <summary>What a compare-and-set compares.</summary>
public enum CompareTarget
{
    /// <summary>mod_revision == expected (0 means "the key does not exist").</summary>
    ModRevision,
    /// <summary>value == expected (false when the key does not exist).</summary>
    Value,
}
