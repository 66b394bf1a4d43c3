namespace Cairn.Cli.Output;

/// <summary>etcdctl's <c>-w/--write-out</c> formats.</summary>
public enum OutputFormat
{
    /// <summary>Human text (the default).</summary>
    Simple,

    /// <summary>Go encoding/json of the response struct.</summary>
    Json,

    /// <summary>One <c>"Name" : value</c> line per field.</summary>
    Fields,

    /// <summary>The raw protobuf bytes of the response.</summary>
    Protobuf,

    /// <summary>An ASCII table (member list and endpoint verbs only).</summary>
    Table,
}

/// <summary>Parses and names <see cref="OutputFormat"/> values the way etcdctl spells them.</summary>
public static class OutputFormats
{
    /// <summary>Parses "simple", "json", "fields", "protobuf" or "table"; anything else is etcdctl's "unsupported output format".</summary>
    public static OutputFormat Parse(string text) => text switch
    {
        "simple" => OutputFormat.Simple,
        "json" => OutputFormat.Json,
        "fields" => OutputFormat.Fields,
        "protobuf" => OutputFormat.Protobuf,
        "table" => OutputFormat.Table,
        _ => throw CliException.BadFeature("unsupported output format"),
    };

    /// <summary>The flag spelling of <paramref name="format"/>.</summary>
    public static string Name(OutputFormat format) => format switch
    {
        OutputFormat.Simple => "simple",
        OutputFormat.Json => "json",
        OutputFormat.Fields => "fields",
        OutputFormat.Protobuf => "protobuf",
        _ => "table",
    };
}
