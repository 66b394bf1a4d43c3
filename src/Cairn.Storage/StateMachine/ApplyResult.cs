using Google.Protobuf;

namespace Cairn.Storage.StateMachine;

/// <summary>What applying one raft entry did.</summary>
public enum ApplyOutcome
{
    /// <summary>A request was applied; see <see cref="ApplyResult.Response"/> or <see cref="ApplyResult.Error"/>.</summary>
    Applied,

    /// <summary>The entry carried no request (an empty raft entry): only the applied index moved.</summary>
    Noop,

    /// <summary>The entry's index was already applied (replay after a snapshot); nothing changed.</summary>
    AlreadyApplied,
}

/// <summary>
/// The result of applying one entry, for the caller waiting on <see cref="RequestId"/>: an etcd response message
/// (PutResponse, TxnResponse, LeaseGrantResponse, MemberAddResponse, ...) or an etcd error. Errors are deterministic:
/// every member gets the same one, and the entry still counts as applied.
/// </summary>
public readonly record struct ApplyResult(
    ApplyOutcome Outcome, ulong RequestId, IMessage? Response, EtcdError? Error, Task? PhysicalCompaction)
{
    internal static ApplyResult Noop => new(ApplyOutcome.Noop, 0, null, null, null);

    internal static ApplyResult AlreadyApplied => new(ApplyOutcome.AlreadyApplied, 0, null, null, null);
}
