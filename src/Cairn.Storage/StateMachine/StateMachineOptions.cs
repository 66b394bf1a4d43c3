using Cairn.Storage.Leases;
using Cairn.Storage.Mvcc;
using Cairn.Storage.Watch;

namespace Cairn.Storage.StateMachine;

/// <summary>Configuration of a <see cref="KvStateMachine"/>. Settings marked "replicated" must be identical on every
/// member, because they change what apply does.</summary>
public sealed class StateMachineOptions
{
    /// <summary>MVCC store options (value directory, txn op limit [replicated], maintenance batch).</summary>
    public required MvccOptions Mvcc { get; init; }

    /// <summary>Lease options (minimum TTL [replicated], checkpoint interval).</summary>
    public LeaseOptions Leases { get; init; } = new();

    /// <summary>Watch buffer limits.</summary>
    public WatchOptions Watch { get; init; } = new();

    /// <summary>This member's ID (fills <c>member_id</c> in response headers).</summary>
    public ulong LocalMemberId { get; init; }

    /// <summary>Maximum learners in the cluster (etcd: 1) [replicated].</summary>
    public int MaxLearners { get; init; } = 1;

    /// <summary>The leader-local lease clock (never read inside apply's replicated logic).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
