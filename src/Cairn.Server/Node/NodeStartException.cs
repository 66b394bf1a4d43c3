namespace Cairn.Server.Node;

/// <summary>The member cannot start: damaged or inconsistent data, a directory in use. The message says which file
/// and what the operator can do.</summary>
public sealed class NodeStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NodeStartException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
