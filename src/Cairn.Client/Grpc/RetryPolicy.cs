namespace Cairn.Client.Grpc;

/// <summary>Whether a call may be sent again to another endpoint after it may have reached a server (clientv3's policy).</summary>
public enum RetryPolicy
{
    /// <summary>Reads and idempotent operations: retried on another endpoint after Unavailable or a broken connection.</summary>
    Repeatable = 0,

    /// <summary>Writes: retried only when the request certainly never left (the connection could not be opened).</summary>
    NonRepeatable = 1,
}
