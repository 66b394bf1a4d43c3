using System.Globalization;

namespace Cairn.Toml;

/// <summary>A TOML scalar: string, integer, float, boolean or one of the four date/time kinds.</summary>
public sealed class TomlValue : TomlNode
{
    private readonly string? stringValue;
    private readonly long integerValue;
    private readonly double floatValue;
    private readonly TomlDateTime dateTimeValue;

    private TomlValue(TomlPosition position, TomlValueKind kind, string? stringValue, long integerValue, double floatValue, TomlDateTime dateTimeValue)
        : base(position)
    {
        Kind = kind;
        this.stringValue = stringValue;
        this.integerValue = integerValue;
        this.floatValue = floatValue;
        this.dateTimeValue = dateTimeValue;
    }

    /// <summary>The type of the value.</summary>
    public TomlValueKind Kind { get; }

    /// <inheritdoc />
    public override string TypeName => KindName(Kind);

    /// <summary>The string; throws unless <see cref="Kind"/> is <see cref="TomlValueKind.String"/>.</summary>
    public string AsString => Kind == TomlValueKind.String ? stringValue! : throw WrongKind(TomlValueKind.String);

    /// <summary>The integer; throws unless <see cref="Kind"/> is <see cref="TomlValueKind.Integer"/>.</summary>
    public long AsInteger => Kind == TomlValueKind.Integer ? integerValue : throw WrongKind(TomlValueKind.Integer);

    /// <summary>The float; throws unless <see cref="Kind"/> is <see cref="TomlValueKind.Float"/>.</summary>
    public double AsFloat => Kind == TomlValueKind.Float ? floatValue : throw WrongKind(TomlValueKind.Float);

    /// <summary>The boolean; throws unless <see cref="Kind"/> is <see cref="TomlValueKind.Boolean"/>.</summary>
    public bool AsBoolean => Kind == TomlValueKind.Boolean ? integerValue != 0 : throw WrongKind(TomlValueKind.Boolean);

    /// <summary>The date/time; throws unless <see cref="Kind"/> is one of the four date/time kinds.</summary>
    public TomlDateTime AsDateTime => IsDateTime(Kind) ? dateTimeValue : throw WrongKind(TomlValueKind.OffsetDateTime);

    /// <summary>The name TOML's documentation uses for a kind, e.g. "offset date-time".</summary>
    public static string KindName(TomlValueKind kind) => kind switch
    {
        TomlValueKind.String => "string",
        TomlValueKind.Integer => "integer",
        TomlValueKind.Float => "float",
        TomlValueKind.Boolean => "boolean",
        TomlValueKind.OffsetDateTime => "offset date-time",
        TomlValueKind.LocalDateTime => "local date-time",
        TomlValueKind.LocalDate => "local date",
        TomlValueKind.LocalTime => "local time",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The value written as TOML (strings quoted and escaped), e.g. for messages and <c>config show</c>.</summary>
    public override string ToString() => Kind switch
    {
        TomlValueKind.String => TomlFormatting.QuoteString(stringValue!),
        TomlValueKind.Integer => integerValue.ToString(CultureInfo.InvariantCulture),
        TomlValueKind.Float => TomlFormatting.FormatFloat(floatValue),
        TomlValueKind.Boolean => integerValue != 0 ? "true" : "false",
        _ => dateTimeValue.ToString(),
    };

    internal static TomlValue FromString(TomlPosition position, string value) =>
        new(position, TomlValueKind.String, value, 0, 0, default);

    internal static TomlValue FromInteger(TomlPosition position, long value) =>
        new(position, TomlValueKind.Integer, null, value, 0, default);

    internal static TomlValue FromFloat(TomlPosition position, double value) =>
        new(position, TomlValueKind.Float, null, 0, value, default);

    internal static TomlValue FromBoolean(TomlPosition position, bool value) =>
        new(position, TomlValueKind.Boolean, null, value ? 1 : 0, 0, default);

    internal static TomlValue FromDateTime(TomlPosition position, TomlDateTime value) =>
        new(position, value.Kind, null, 0, 0, value);

    private static bool IsDateTime(TomlValueKind kind) =>
        kind is TomlValueKind.OffsetDateTime or TomlValueKind.LocalDateTime or TomlValueKind.LocalDate or TomlValueKind.LocalTime;

    private InvalidOperationException WrongKind(TomlValueKind wanted) =>
        new($"{Position}: expected {KindName(wanted)}, the value is {TypeName} {this}");
}
