namespace Cairn.Raft;

/// <summary>What a log entry carries. The numeric values are part of the binary codec format.</summary>
public enum EntryType : byte
{
    /// <summary>An application command (or an empty entry a new leader appends to commit its term).</summary>
    Normal = 0,

    /// <summary>An encoded <see cref="ConfChange"/>; the application passes it to <c>RawNode.ApplyConfChange</c> when committed.</summary>
    ConfChange = 1,
}
