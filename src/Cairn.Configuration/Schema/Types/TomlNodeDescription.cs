using Cairn.Toml;

namespace Cairn.Configuration.Schema.Types;

/// <summary>Describes a TOML node in messages: its type and, for scalars, its text (<c>string "2GB"</c>).</summary>
internal static class TomlNodeDescription
{
    public static string Of(TomlNode node) => node switch
    {
        TomlValue value => $"{value.TypeName} {value}",
        TomlArray array => array.IsArrayOfTables ? "an array of tables" : "an array",
        TomlTable => "a table",
        _ => node.TypeName,
    };
}
