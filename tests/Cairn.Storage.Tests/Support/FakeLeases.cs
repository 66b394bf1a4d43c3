using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Tests.Support;

/// <summary>A lease registry with a fixed set of leases that records attach/detach calls.</summary>
public sealed class FakeLeases : IKeyLeaseRegistry
{
    public HashSet<long> Granted { get; } = [];

    public List<string> Log { get; } = [];

    public bool LeaseExists(long leaseId) => Granted.Contains(leaseId);

    public void Attach(long leaseId, byte[] key) => Log.Add($"attach {leaseId} {System.Text.Encoding.UTF8.GetString(key)}");

    public void Detach(long leaseId, byte[] key) => Log.Add($"detach {leaseId} {System.Text.Encoding.UTF8.GetString(key)}");
}
