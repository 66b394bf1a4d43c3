namespace Cairn.Client;

/// <summary>An etcd v3 client over gRPC. Not built yet: see issue 4.</summary>
public sealed class EtcdClient
{
}
