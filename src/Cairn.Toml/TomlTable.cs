using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Cairn.Toml;

/// <summary>A TOML table: keys in document order, each mapped to a node.</summary>
public sealed class TomlTable : TomlNode, IEnumerable<KeyValuePair<string, TomlNode>>
{
    private readonly Dictionary<string, TomlNode> entries = new(StringComparer.Ordinal);
    private readonly List<string> keysInOrder = new();

    internal TomlTable(TomlPosition position, TomlTableOrigin origin)
        : base(position)
    {
        Origin = origin;
    }

    /// <summary>How the table came to exist; decides whether a later header or dotted key may extend it.</summary>
    internal TomlTableOrigin Origin { get; set; }

    /// <inheritdoc />
    public override string TypeName => "table";

    /// <summary>True for a table written inline (<c>{ ... }</c>).</summary>
    public bool IsInline => Origin == TomlTableOrigin.Inline;

    /// <summary>The number of keys.</summary>
    public int Count => keysInOrder.Count;

    /// <summary>The keys in the order they appear in the document.</summary>
    public IReadOnlyList<string> Keys => keysInOrder;

    /// <summary>The node under <paramref name="key"/>; throws <see cref="KeyNotFoundException"/> if absent.</summary>
    public TomlNode this[string key] => entries[key];

    /// <summary>Looks up <paramref name="key"/>.</summary>
    public bool TryGetValue(string key, [NotNullWhen(true)] out TomlNode? node) => entries.TryGetValue(key, out node);

    /// <summary>True when <paramref name="key"/> is present.</summary>
    public bool ContainsKey(string key) => entries.ContainsKey(key);

    internal void Add(string key, TomlNode node)
    {
        entries.Add(key, node);
        keysInOrder.Add(key);
    }

    /// <summary>Enumerates the entries in document order.</summary>
    public IEnumerator<KeyValuePair<string, TomlNode>> GetEnumerator()
    {
        foreach (string key in keysInOrder)
        {
            yield return new KeyValuePair<string, TomlNode>(key, entries[key]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>How a table was created. TOML's rules for redefining and extending tables depend on it.</summary>
internal enum TomlTableOrigin
{
    /// <summary>The document root.</summary>
    Root,

    /// <summary>Created as a parent by a header such as <c>[a.b]</c> (for <c>a</c>); a later <c>[a]</c> may still define it.</summary>
    Implicit,

    /// <summary>Defined by a <c>[table]</c> header or as an element of <c>[[array]]</c>.</summary>
    Header,

    /// <summary>Created by a dotted key (<c>a.b = 1</c> creates <c>a</c>); no header may define it later.</summary>
    Dotted,

    /// <summary>An inline table; closed for good once its <c>}</c> is read.</summary>
    Inline,
}
