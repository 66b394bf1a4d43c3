namespace Cairn.Linearizability;

/// <summary>
/// One recorded client operation: what was asked, when (monotonic ticks, any unit as long as one history uses
/// one clock), and what came back. Values written must be unique per history: the checker relies on it to
/// tell which write a read observed.
/// </summary>
public sealed class Operation
{
    /// <summary>The client (process) that issued it; one client issues one operation at a time.</summary>
    public required int ClientId { get; init; }

    /// <summary>The operation type.</summary>
    public required OperationKind Kind { get; init; }

    /// <summary>The single key it touches.</summary>
    public required string Key { get; init; }

    /// <summary>The value a put or compare-and-set writes.</summary>
    public string? WriteValue { get; init; }

    /// <summary>What a compare-and-set compares.</summary>
    public CompareTarget Compare { get; init; }

    /// <summary>Expected mod_revision of a compare-and-set on <see cref="CompareTarget.ModRevision"/>.</summary>
    public long CompareModRevision { get; init; }

    /// <summary>Expected value of a compare-and-set on <see cref="CompareTarget.Value"/>.</summary>
    public string? CompareValue { get; init; }

    /// <summary>Monotonic time just before the request was sent.</summary>
    public required long InvokeTicks { get; init; }

    /// <summary>Monotonic time just after the answer arrived (ignored when the outcome is unknown).</summary>
    public long ReturnTicks { get; set; }

    /// <summary>Whether the result fields are valid, the request definitely failed, or nobody knows.</summary>
    public Outcome Outcome { get; set; }

    /// <summary>Get: whether the key existed.</summary>
    public bool Found { get; set; }

    /// <summary>Get: the value read.</summary>
    public string? ReadValue { get; set; }

    /// <summary>Get: the key's mod_revision.</summary>
    public long ModRevision { get; set; }

    /// <summary>Every ok answer: the response header revision (for a write, the revision it created).</summary>
    public long HeaderRevision { get; set; }

    /// <summary>Delete: how many keys were deleted (0 or 1).</summary>
    public long DeletedCount { get; set; }

    /// <summary>Compare-and-set: whether the compare held (and the put happened).</summary>
    public bool Succeeded { get; set; }

    /// <summary>The error text of a failed or unknown operation (for reports).</summary>
    public string? Error { get; set; }

    /// <summary>Whether an ok answer says this operation created a new revision.</summary>
    public bool IsAcknowledgedWrite => Outcome == Outcome.Ok && Kind switch
    {
        OperationKind.Put => true,
        OperationKind.Delete => DeletedCount > 0,
        OperationKind.CompareAndSet => Succeeded,
        _ => false,
    };

    /// <summary>A one-line description for violation reports.</summary>
    public override string ToString()
    {
        string request = Kind switch
        {
            OperationKind.Get => $"get({Key})",
            OperationKind.Put => $"put({Key}, {WriteValue})",
            OperationKind.Delete => $"delete({Key})",
            _ => Compare == CompareTarget.ModRevision
                ? $"cas({Key}, mod_revision=={CompareModRevision} -> {WriteValue})"
                : $"cas({Key}, value=={CompareValue} -> {WriteValue})",
        };
        string result = Outcome switch
        {
            Outcome.Unknown => "UNKNOWN" + (Error is null ? "" : $" ({Error})"),
            Outcome.Failed => "FAILED" + (Error is null ? "" : $" ({Error})"),
            _ => Kind switch
            {
                OperationKind.Get => Found ? $"{ReadValue}@mod{ModRevision} (rev {HeaderRevision})" : $"absent (rev {HeaderRevision})",
                OperationKind.Put => $"ok rev {HeaderRevision}",
                OperationKind.Delete => $"deleted {DeletedCount} rev {HeaderRevision}",
                _ => (Succeeded ? "succeeded" : "compare failed") + $" rev {HeaderRevision}",
            },
        };
        string returned = Outcome == Outcome.Unknown ? "inf" : ReturnTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"[client {ClientId} t={InvokeTicks}..{returned}] {request} -> {result}";
    }
}
