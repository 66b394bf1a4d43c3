namespace Cairn.Bench.Workloads;

/// <summary>
/// The flags of <c>bench watch</c>: <see cref="Streams"/> watch streams with <see cref="WatchersPerStream"/> watchers
/// each, spread over <see cref="WatchedKeys"/> keys; one writer puts <see cref="PutTotal"/> times to those keys.
/// </summary>
internal sealed record WatchSettings(
    int Streams,
    int WatchersPerStream,
    int WatchedKeys,
    long PutTotal,
    int PutRate,
    int KeySize,
    int ValueSize,
    TimeSpan EventTimeout)
{
    /// <summary>Put values start with the put's number (8 bytes), so an event tells which put it came from.</summary>
    public const int MinValueSize = 8;

    /// <summary>How many watchers watch key number <paramref name="key"/> (watcher j of stream s watches key (s * per-stream + j) mod keys).</summary>
    public int WatchersOnKey(int key)
    {
        long watchers = (long)Streams * WatchersPerStream;
        long full = watchers / WatchedKeys;
        return (int)(full + (key < watchers % WatchedKeys ? 1 : 0));
    }

    /// <summary>The events all puts produce together: put i goes to key i mod keys.</summary>
    public long ExpectedEvents()
    {
        long events = 0;
        for (int key = 0; key < WatchedKeys; key++)
        {
            long putsToKey = (PutTotal / WatchedKeys) + (key < PutTotal % WatchedKeys ? 1 : 0);
            events += putsToKey * WatchersOnKey(key);
        }

        return events;
    }
}
