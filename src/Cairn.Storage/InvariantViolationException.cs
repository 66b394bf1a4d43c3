namespace Cairn.Storage;

/// <summary>
/// An internal invariant of the storage engine does not hold: a bug, or memory/disk state that the code
/// cannot explain. It is fatal by contract: the process must stop serving (the server logs it and exits)
/// and never catch-and-continue, because the in-memory state can no longer be trusted.
/// </summary>
public sealed class InvariantViolationException : Exception
{
    /// <summary>Creates the exception with the violated expectation as its message.</summary>
    /// <param name="message">What was expected.</param>
    public InvariantViolationException(string message)
        : base("Invariant violated: " + message)
    {
    }
}
