namespace Cairn.Storage.Mvcc;

/// <summary>
/// What the MVCC store needs from the lease table: whether a lease exists (Put with a lease) and notifications when a
/// key's lease changes, so a lease knows its keys (revoke deletes them; TimeToLive lists them).
/// Called on the apply thread only.
/// </summary>
public interface IKeyLeaseRegistry
{
    /// <summary>True if the lease is granted and not revoked.</summary>
    bool LeaseExists(long leaseId);

    /// <summary>The key is now attached to the lease.</summary>
    void Attach(long leaseId, byte[] key);

    /// <summary>The key is no longer attached to the lease (deleted, or put with another lease or none).</summary>
    void Detach(long leaseId, byte[] key);
}

/// <summary>A lease registry with no leases: every lease lookup fails. For stores used without a lessor.</summary>
public sealed class NoLeaseRegistry : IKeyLeaseRegistry
{
    /// <summary>The shared instance.</summary>
    public static readonly NoLeaseRegistry Instance = new();

    /// <inheritdoc />
    public bool LeaseExists(long leaseId) => false;

    /// <inheritdoc />
    public void Attach(long leaseId, byte[] key)
    {
    }

    /// <inheritdoc />
    public void Detach(long leaseId, byte[] key)
    {
    }
}
