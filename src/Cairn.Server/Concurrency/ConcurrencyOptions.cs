namespace Cairn.Server.Concurrency;

/// <summary>Settings of the Lock and Election services.</summary>
public sealed class ConcurrencyOptions
{
    /// <summary>The TTL of the lease the server grants when a Lock or Campaign request carries lease 0 (etcd's
    /// session default: 60 s). The server does not keep that lease alive, so such a lock releases itself.</summary>
    public long DefaultSessionTtlSeconds { get; init; } = 60;

    /// <summary>Events taken per wake-up while waiting for a key's deletion or observing a leader.</summary>
    public int MaxEventsPerTake { get; init; } = 256;

    /// <summary>Checks the options and throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (DefaultSessionTtlSeconds < 1 || MaxEventsPerTake < 1)
        {
            throw new ArgumentException("ConcurrencyOptions: DefaultSessionTtlSeconds and MaxEventsPerTake must be at least 1");
        }
    }
}
