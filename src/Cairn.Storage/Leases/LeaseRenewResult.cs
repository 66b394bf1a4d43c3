namespace Cairn.Storage.Leases;

/// <summary>Outcome of a keepalive (<see cref="Lessor.Renew"/>).</summary>
public enum LeaseRenewStatus
{
    /// <summary>Renewed; the TTL is the granted TTL.</summary>
    Renewed,

    /// <summary>Unknown or already expired lease (etcd answers the keepalive with TTL 0).</summary>
    NotFound,

    /// <summary>This member is not the leader; the keepalive must go to the leader.</summary>
    NotPrimary,
}

/// <summary>The result of a keepalive.</summary>
public readonly record struct LeaseRenewResult(LeaseRenewStatus Status, long TtlSeconds);
