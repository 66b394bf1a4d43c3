namespace Cairn.Toml;

/// <summary>The type of a TOML scalar.</summary>
public enum TomlValueKind
{
    /// <summary>A string (basic, literal, single- or multi-line).</summary>
    String,

    /// <summary>A 64-bit signed integer.</summary>
    Integer,

    /// <summary>An IEEE-754 double, including inf and nan.</summary>
    Float,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A date and time with an offset (RFC 3339), e.g. <c>1979-05-27T07:32:00Z</c>.</summary>
    OffsetDateTime,

    /// <summary>A date and time without an offset, e.g. <c>1979-05-27T07:32:00</c>.</summary>
    LocalDateTime,

    /// <summary>A date without a time, e.g. <c>1979-05-27</c>.</summary>
    LocalDate,

    /// <summary>A time of day without a date, e.g. <c>07:32:00</c>.</summary>
    LocalTime,
}
