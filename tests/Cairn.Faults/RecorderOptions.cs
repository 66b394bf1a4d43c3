namespace Cairn.Faults;

/// <summary>The workload a <see cref="HistoryRecorder"/> runs.</summary>
public sealed class RecorderOptions
{
    /// <summary>Concurrent clients (each issues one operation at a time).</summary>
    public int Clients { get; init; } = 6;

    /// <summary>How many keys the clients share (few keys = more contention = a sharper check).</summary>
    public int Keys { get; init; } = 4;

    /// <summary>Prefix of the keys; a fresh one per run keeps runs independent on a reused cluster.</summary>
    public string KeyPrefix { get; init; } = $"/lin/{Guid.NewGuid():N}/";

    /// <summary>Per-request deadline; a request that hits it has an unknown outcome.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>False: client i always talks to endpoint i mod n. True: each request goes to the next endpoint.</summary>
    public bool RotateEndpoints { get; init; }

    /// <summary>Serializable (local, possibly stale) reads instead of linearizable ones; the checker should then catch staleness.</summary>
    public bool SerializableReads { get; init; }

    /// <summary>Stop after this many operations in total, even before the stop token fires.</summary>
    public int MaxOperations { get; init; } = 200_000;

    /// <summary>Pause after a failed request so a client does not spin against a dead member.</summary>
    public TimeSpan BackoffAfterError { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Percent of operations that are gets, puts, deletes; the rest are compare-and-sets.</summary>
    public (int Get, int Put, int Delete) MixPercent { get; init; } = (40, 35, 10);
}
