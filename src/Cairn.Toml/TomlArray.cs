using System.Collections;

namespace Cairn.Toml;

/// <summary>A TOML array: either a value array (<c>[1, 2]</c>) or an array of tables (<c>[[name]]</c>).</summary>
public sealed class TomlArray : TomlNode, IReadOnlyList<TomlNode>
{
    private readonly List<TomlNode> items = new();

    internal TomlArray(TomlPosition position, bool isArrayOfTables)
        : base(position)
    {
        IsArrayOfTables = isArrayOfTables;
    }

    /// <summary>True when the array was built by <c>[[name]]</c> headers (only those can be appended to later).</summary>
    public bool IsArrayOfTables { get; }

    /// <inheritdoc />
    public override string TypeName => IsArrayOfTables ? "array of tables" : "array";

    /// <summary>The number of elements.</summary>
    public int Count => items.Count;

    /// <summary>The element at <paramref name="index"/>.</summary>
    public TomlNode this[int index] => items[index];

    internal void Add(TomlNode node) => items.Add(node);

    /// <summary>Enumerates the elements in order.</summary>
    public IEnumerator<TomlNode> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
