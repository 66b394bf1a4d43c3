namespace Cairn.Toml;

/// <summary>A node of a parsed TOML document: a <see cref="TomlTable"/>, a <see cref="TomlArray"/> or a <see cref="TomlValue"/>.</summary>
public abstract class TomlNode
{
    private protected TomlNode(TomlPosition position)
    {
        Position = position;
    }

    /// <summary>
    /// Where the node was defined: the key of a key/value pair or table header (the last key when dotted), the
    /// value itself for an array element. Configuration errors point here.
    /// </summary>
    public TomlPosition Position { get; internal set; }

    /// <summary>The 1-based line of <see cref="Position"/>.</summary>
    public int Line => Position.Line;

    /// <summary>The 1-based column of <see cref="Position"/>.</summary>
    public int Column => Position.Column;

    /// <summary>A short description of the node's type for messages, e.g. "table", "array", "integer".</summary>
    public abstract string TypeName { get; }
}
