namespace Cairn.Linearizability;

/// <summary>The checker's answer.</summary>
public enum Verdict
{
    /// <summary>A linearization exists for every key and revisions are consistent with real time.</summary>
    Linearizable,
    /// <summary>No linearization exists (or revisions go against real time): see the explanation.</summary>
    Violation,
    /// <summary>The search budget ran out before an answer: never read this as "ok".</summary>
    Unknown,
}

/// <summary>The verdict for a whole history with a human-readable explanation of each problem found.</summary>
public sealed class CheckResult
{
    /// <summary>The overall verdict (a violation anywhere wins over unknown, unknown over ok).</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>Per-key and global findings, one entry per problem; empty when linearizable.</summary>
    public required IReadOnlyList<string> Explanations { get; init; }

    /// <summary>How many operations were checked (after dropping definitely failed ones).</summary>
    public required int OperationsChecked { get; init; }

    /// <summary>How many search configurations were visited in total (a cost measure).</summary>
    public required long ConfigurationsVisited { get; init; }

    /// <summary>All explanations joined for test failure messages and logs.</summary>
    public override string ToString() =>
        $"{Verdict}: {OperationsChecked} operations, {ConfigurationsVisited} configurations"
        + (Explanations.Count == 0 ? "" : Environment.NewLine + string.Join(Environment.NewLine, Explanations));
}

/// <summary>Search limits: the checker answers <see cref="Verdict.Unknown"/> rather than run forever.</summary>
public sealed class CheckLimits
{
    /// <summary>
    /// Maximum configurations visited per key before giving up on that key. Each memoised configuration
    /// holds bitsets of (operations on the key / 8) bytes, so this bounds memory too.
    /// </summary>
    public long MaxConfigurationsPerKey { get; init; } = 500_000;

    /// <summary>Wall-clock budget for the whole check.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
