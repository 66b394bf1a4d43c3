namespace Cairn.Storage.Wal;

/// <summary>What opening the WAL found and repaired. Logged by the server at start-up.</summary>
public sealed class WalRecoveryReport
{
    /// <summary>Segment files read.</summary>
    public int SegmentsReplayed { get; internal set; }

    /// <summary>Batches found valid and replayed.</summary>
    public long BatchesReplayed { get; internal set; }

    /// <summary>The segment whose torn tail was zeroed, or null when the log ended cleanly.</summary>
    public string? TornTailFile { get; internal set; }

    /// <summary>Byte offset where the torn tail started (the end of the last valid batch).</summary>
    public long TornTailOffset { get; internal set; }

    /// <summary>Bytes zeroed by the repair.</summary>
    public long TornTailBytes { get; internal set; }

    /// <summary>Why the first invalid batch was invalid.</summary>
    public string? TornTailReason { get; internal set; }

    /// <summary>Files deleted: unfinished segment preparations and released segments left over from before a gap.</summary>
    public List<string> DeletedFiles { get; } = [];

    /// <summary>How long recovery took.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>A one-line summary for the log.</summary>
    public override string ToString()
    {
        string torn = TornTailFile == null
            ? "clean end"
            : $"torn tail repaired: {TornTailBytes} bytes zeroed at {TornTailFile} offset {TornTailOffset} ({TornTailReason})";
        return $"WAL recovered {BatchesReplayed} batches from {SegmentsReplayed} segments in {Elapsed.TotalMilliseconds:F1} ms; {torn}; {DeletedFiles.Count} leftover files deleted";
    }
}
