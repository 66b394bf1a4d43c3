using Cairn.Toml;

namespace Cairn.Configuration.Schema.Types;

/// <summary>
/// How one kind of setting value is read from TOML and from text (environment variables and flags), checked,
/// and written back as TOML.
/// </summary>
internal abstract class SettingType<T>
{
    /// <summary>What a valid value looks like, for "expected ..., got ..." messages (e.g. "an integer").</summary>
    public abstract string Expected { get; }

    /// <summary>Reads a TOML value. By default a TOML string is read like text and anything else is a type error.</summary>
    public virtual bool TryParseToml(TomlNode node, out T value, out string problem)
    {
        if (node is TomlValue { Kind: TomlValueKind.String } text)
        {
            return TryParseText(text.AsString, out value, out problem);
        }
        value = default!;
        problem = Mismatch(node);
        return false;
    }

    /// <summary>Reads the text of an environment variable or flag.</summary>
    public abstract bool TryParseText(string text, out T value, out string problem);

    /// <summary>The value as TOML (the right-hand side of <c>key = ...</c>).</summary>
    public abstract string FormatToml(T value);

    /// <summary>An optional human note shown beside the value by <c>config show</c> (e.g. "64 MiB").</summary>
    public virtual string? Describe(T value) => null;

    /// <summary>"expected X, got string "2GB"".</summary>
    protected string Mismatch(TomlNode node) => $"expected {Expected}, got {DescribeNode(node)}";

    /// <summary>A node as messages show it: its type and, for scalars, its TOML text.</summary>
    protected static string DescribeNode(TomlNode node) => TomlNodeDescription.Of(node);
}
