using System.Globalization;
using System.Text;

namespace Cairn.Toml;

/// <summary>
/// A TOML date/time value with exactly what the document wrote: which parts are present, nanosecond precision and
/// the offset in minutes (TOML allows offsets and leap seconds that .NET's types cannot hold).
/// </summary>
public readonly record struct TomlDateTime
{
    internal TomlDateTime(TomlValueKind kind, int year, int month, int day, int hour, int minute, int second, int nanosecond, int offsetMinutes)
    {
        Kind = kind;
        Year = year;
        Month = month;
        Day = day;
        Hour = hour;
        Minute = minute;
        Second = second;
        Nanosecond = nanosecond;
        OffsetMinutes = offsetMinutes;
    }

    /// <summary>Which of the four date/time kinds this is.</summary>
    public TomlValueKind Kind { get; }

    /// <summary>The year (0-9999); 0 when the value has no date.</summary>
    public int Year { get; }

    /// <summary>The month (1-12); 0 when the value has no date.</summary>
    public int Month { get; }

    /// <summary>The day of the month; 0 when the value has no date.</summary>
    public int Day { get; }

    /// <summary>The hour (0-23); 0 when the value has no time.</summary>
    public int Hour { get; }

    /// <summary>The minute (0-59).</summary>
    public int Minute { get; }

    /// <summary>The second (0-60; 60 is a leap second).</summary>
    public int Second { get; }

    /// <summary>The fraction of the second in nanoseconds; digits beyond the ninth are truncated.</summary>
    public int Nanosecond { get; }

    /// <summary>The offset from UTC in minutes; 0 unless <see cref="Kind"/> is <see cref="TomlValueKind.OffsetDateTime"/>.</summary>
    public int OffsetMinutes { get; }

    private bool HasDate => Kind != TomlValueKind.LocalTime;

    private bool HasTime => Kind != TomlValueKind.LocalDate;

    /// <summary>Converts an offset date-time; throws when the offset or a leap second does not fit the .NET type.</summary>
    public DateTimeOffset ToDateTimeOffset()
    {
        RequireKind(TomlValueKind.OffsetDateTime);
        return new DateTimeOffset(ToDateTimeUnchecked(), TimeSpan.FromMinutes(OffsetMinutes));
    }

    /// <summary>Converts a local date-time (the result has <see cref="DateTimeKind.Unspecified"/>).</summary>
    public DateTime ToDateTime()
    {
        RequireKind(TomlValueKind.LocalDateTime);
        return ToDateTimeUnchecked();
    }

    /// <summary>Converts a local date.</summary>
    public DateOnly ToDateOnly()
    {
        RequireKind(TomlValueKind.LocalDate);
        return new DateOnly(Year, Month, Day);
    }

    /// <summary>Converts a local time (to 100 ns precision).</summary>
    public TimeOnly ToTimeOnly()
    {
        RequireKind(TomlValueKind.LocalTime);
        RejectLeapSecond();
        return new TimeOnly(new TimeSpan(Hour, Minute, Second).Ticks + (Nanosecond / 100));
    }

    /// <summary>Formats as RFC 3339 (<c>T</c> separator, <c>Z</c> for a zero offset), keeping every fraction digit.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(40);
        if (HasDate)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{Day:D2}");
        }
        if (HasDate && HasTime)
        {
            text.Append('T');
        }
        if (HasTime)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Hour:D2}:{Minute:D2}:{Second:D2}");
            if (Nanosecond != 0)
            {
                text.Append('.').Append(Nanosecond.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0'));
            }
        }
        if (Kind == TomlValueKind.OffsetDateTime)
        {
            AppendOffset(text);
        }
        return text.ToString();
    }

    private void AppendOffset(StringBuilder text)
    {
        if (OffsetMinutes == 0)
        {
            text.Append('Z');
            return;
        }
        int magnitude = Math.Abs(OffsetMinutes);
        text.Append(OffsetMinutes < 0 ? '-' : '+')
            .Append(CultureInfo.InvariantCulture, $"{magnitude / 60:D2}:{magnitude % 60:D2}");
    }

    private DateTime ToDateTimeUnchecked()
    {
        RejectLeapSecond();
        return new DateTime(Year, Month, Day, Hour, Minute, Second, DateTimeKind.Unspecified).AddTicks(Nanosecond / 100);
    }

    private void RejectLeapSecond()
    {
        if (Second == 60)
        {
            throw new InvalidOperationException($"{this} has a leap second (:60), which .NET date/time types cannot represent");
        }
    }

    private void RequireKind(TomlValueKind wanted)
    {
        if (Kind != wanted)
        {
            throw new InvalidOperationException($"{this} is a {TomlValue.KindName(Kind)}, not a {TomlValue.KindName(wanted)}");
        }
    }
}
