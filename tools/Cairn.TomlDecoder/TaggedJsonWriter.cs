using System.Globalization;
using System.Text.Json;
using Cairn.Toml;

namespace Cairn.TomlDecoder;

/// <summary>Writes a parsed TOML document as toml-test's "tagged JSON" (every scalar as {"type": ..., "value": ...}).</summary>
public static class TaggedJsonWriter
{
    /// <summary>Writes <paramref name="table"/> and everything below it.</summary>
    public static void Write(Utf8JsonWriter json, TomlTable table)
    {
        json.WriteStartObject();
        foreach (KeyValuePair<string, TomlNode> entry in table)
        {
            json.WritePropertyName(entry.Key);
            WriteNode(json, entry.Value);
        }
        json.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter json, TomlNode node)
    {
        switch (node)
        {
            case TomlTable table:
                Write(json, table);
                break;
            case TomlArray array:
                json.WriteStartArray();
                foreach (TomlNode item in array)
                {
                    WriteNode(json, item);
                }
                json.WriteEndArray();
                break;
            case TomlValue value:
                json.WriteStartObject();
                json.WriteString("type", TypeTag(value.Kind));
                json.WriteString("value", ValueText(value));
                json.WriteEndObject();
                break;
        }
    }

    private static string TypeTag(TomlValueKind kind) => kind switch
    {
        TomlValueKind.String => "string",
        TomlValueKind.Integer => "integer",
        TomlValueKind.Float => "float",
        TomlValueKind.Boolean => "bool",
        TomlValueKind.OffsetDateTime => "datetime",
        TomlValueKind.LocalDateTime => "datetime-local",
        TomlValueKind.LocalDate => "date-local",
        TomlValueKind.LocalTime => "time-local",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string ValueText(TomlValue value) => value.Kind switch
    {
        TomlValueKind.String => value.AsString,
        TomlValueKind.Integer => value.AsInteger.ToString(CultureInfo.InvariantCulture),
        TomlValueKind.Float => TomlFormatting.FormatFloat(value.AsFloat),
        TomlValueKind.Boolean => value.AsBoolean ? "true" : "false",
        _ => value.AsDateTime.ToString(),
    };
}
