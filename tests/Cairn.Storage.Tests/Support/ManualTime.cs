namespace Cairn.Storage.Tests.Support;

/// <summary>A clock the test moves by hand (monotonic timestamps in milliseconds).</summary>
public sealed class ManualTime : TimeProvider
{
    private long _nowMs = 1_000_000;

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp() => Interlocked.Read(ref _nowMs);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _nowMs, (long)by.TotalMilliseconds);
}
