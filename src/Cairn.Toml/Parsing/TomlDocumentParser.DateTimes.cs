namespace Cairn.Toml.Parsing;

/// <summary>The RFC 3339 date/time forms TOML allows: offset and local date-times, local dates and local times.</summary>
internal sealed partial class TomlDocumentParser
{
    private const int NanosecondDigits = 9;

    private static bool LooksLikeDate(ReadOnlySpan<char> token) =>
        token.Length >= 5 && IsDigit(token[0]) && IsDigit(token[1]) && IsDigit(token[2]) && IsDigit(token[3]) && token[4] == '-';

    private static bool LooksLikeTime(ReadOnlySpan<char> token) =>
        token.Length >= 3 && IsDigit(token[0]) && IsDigit(token[1]) && token[2] == ':';

    private TomlDateTime ParseDateTime(ReadOnlySpan<char> token, int start)
    {
        var cursor = new DateTimeCursor(token);
        int year = 0, month = 0, day = 0;
        if (LooksLikeDate(token))
        {
            year = ReadField(ref cursor, 4, 0, 9999, "year", token, start);
            ExpectSeparator(ref cursor, '-', token, start);
            month = ReadField(ref cursor, 2, 1, 12, "month", token, start);
            ExpectSeparator(ref cursor, '-', token, start);
            day = ReadField(ref cursor, 2, 1, DaysInMonth(year, month), "day", token, start);
            if (cursor.AtEnd)
            {
                return new TomlDateTime(TomlValueKind.LocalDate, year, month, day, 0, 0, 0, 0, 0);
            }
            if (cursor.Next is not ('T' or 't' or ' '))
            {
                throw DateTimeError(token, start, cursor.Index, "expected 'T' or a space between the date and the time");
            }
            cursor.Index++;
        }
        bool hasDate = month != 0;
        int hour = ReadField(ref cursor, 2, 0, 23, "hour", token, start);
        ExpectSeparator(ref cursor, ':', token, start);
        int minute = ReadField(ref cursor, 2, 0, 59, "minute", token, start);
        ExpectSeparator(ref cursor, ':', token, start);
        int second = ReadField(ref cursor, 2, 0, 60, "second", token, start);
        int nanosecond = ReadFraction(ref cursor, token, start);
        if (cursor.AtEnd)
        {
            TomlValueKind kind = hasDate ? TomlValueKind.LocalDateTime : TomlValueKind.LocalTime;
            return new TomlDateTime(kind, year, month, day, hour, minute, second, nanosecond, 0);
        }
        if (!hasDate)
        {
            throw DateTimeError(token, start, cursor.Index, "a local time cannot have an offset");
        }
        int offsetMinutes = ReadOffset(ref cursor, token, start);
        return new TomlDateTime(TomlValueKind.OffsetDateTime, year, month, day, hour, minute, second, nanosecond, offsetMinutes);
    }

    private int ReadFraction(ref DateTimeCursor cursor, ReadOnlySpan<char> token, int start)
    {
        if (cursor.AtEnd || cursor.Next != '.')
        {
            return 0;
        }
        cursor.Index++;
        int digitCount = 0;
        int nanosecond = 0;
        while (!cursor.AtEnd && IsDigit(cursor.Next))
        {
            // Precision beyond nanoseconds is truncated, as TOML allows.
            if (digitCount < NanosecondDigits)
            {
                nanosecond = (nanosecond * 10) + (cursor.Next - '0');
            }
            digitCount++;
            cursor.Index++;
        }
        if (digitCount == 0)
        {
            throw DateTimeError(token, start, cursor.Index, "expected digits after the '.' of the seconds");
        }
        for (int i = digitCount; i < NanosecondDigits; i++)
        {
            nanosecond *= 10;
        }
        return nanosecond;
    }

    private int ReadOffset(ref DateTimeCursor cursor, ReadOnlySpan<char> token, int start)
    {
        char sign = cursor.Next;
        cursor.Index++;
        if (sign is 'Z' or 'z')
        {
            ExpectEnd(ref cursor, token, start);
            return 0;
        }
        if (sign is not ('+' or '-'))
        {
            throw DateTimeError(token, start, cursor.Index - 1, "expected Z, +HH:MM or -HH:MM after the time");
        }
        int hours = ReadField(ref cursor, 2, 0, 23, "offset hour", token, start);
        ExpectSeparator(ref cursor, ':', token, start);
        int minutes = ReadField(ref cursor, 2, 0, 59, "offset minute", token, start);
        ExpectEnd(ref cursor, token, start);
        int offsetMinutes = (hours * 60) + minutes;
        return sign == '-' ? -offsetMinutes : offsetMinutes;
    }

    private int ReadField(ref DateTimeCursor cursor, int digitCount, int min, int max, string field, ReadOnlySpan<char> token, int start)
    {
        int value = 0;
        for (int i = 0; i < digitCount; i++)
        {
            if (cursor.AtEnd || !IsDigit(cursor.Next))
            {
                throw DateTimeError(token, start, cursor.Index, $"the {field} needs exactly {digitCount} digits");
            }
            value = (value * 10) + (cursor.Next - '0');
            cursor.Index++;
        }
        if (value < min || value > max)
        {
            throw DateTimeError(token, start, cursor.Index - digitCount, $"the {field} {value} is out of range ({min}-{max})");
        }
        return value;
    }

    private void ExpectSeparator(ref DateTimeCursor cursor, char separator, ReadOnlySpan<char> token, int start)
    {
        if (cursor.AtEnd || cursor.Next != separator)
        {
            throw DateTimeError(token, start, cursor.Index, $"expected '{separator}'");
        }
        cursor.Index++;
    }

    private void ExpectEnd(ref DateTimeCursor cursor, ReadOnlySpan<char> token, int start)
    {
        if (!cursor.AtEnd)
        {
            throw DateTimeError(token, start, cursor.Index, $"unexpected {TomlReader.Describe(cursor.Next)} after the offset");
        }
    }

    private TomlParseException DateTimeError(ReadOnlySpan<char> token, int start, int offset, string reason) =>
        reader.ErrorAt(start + offset, $"invalid date/time '{token}': {reason}");

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => IsLeapYear(year) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    // DateTime.IsLeapYear rejects year 0, which RFC 3339 allows (and which is a leap year).
    private static bool IsLeapYear(int year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

    /// <summary>An index into a date/time token; a ref struct so the token span can be read through it.</summary>
    private ref struct DateTimeCursor
    {
        private readonly ReadOnlySpan<char> token;

        public DateTimeCursor(ReadOnlySpan<char> token)
        {
            this.token = token;
            Index = 0;
        }

        public int Index;

        public readonly bool AtEnd => Index >= token.Length;

        public readonly char Next => token[Index];
    }
}
