using System.Globalization;
using System.Text;

namespace Cairn.Cli.Output;

/// <summary>Go's time.Duration: parsing flag values ("2s", "1m30s", "500ms") and printing ("1.546761ms").</summary>
public static class GoDuration
{
    private const long NanosPerMicro = 1_000, NanosPerMilli = 1_000_000, NanosPerSecond = 1_000_000_000;

    /// <summary>Formats <paramref name="nanoseconds"/> exactly like Go's Duration.String().</summary>
    public static string Format(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }
        bool negative = nanoseconds < 0;
        ulong magnitude = negative ? (ulong)(-(nanoseconds + 1)) + 1 : (ulong)nanoseconds;
        string text;
        if (magnitude < NanosPerSecond)
        {
            text = magnitude switch
            {
                < NanosPerMicro => magnitude.ToString(CultureInfo.InvariantCulture) + "ns",
                < NanosPerMilli => Fraction(magnitude, NanosPerMicro) + "µs",
                _ => Fraction(magnitude, NanosPerMilli) + "ms",
            };
        }
        else
        {
            text = LongForm(magnitude);
        }
        return negative ? "-" + text : text;
    }

    /// <summary>
    /// Parses a Go duration such as "5s", "2.5s", "1m30s", "300ms" or "0"; returns null when the text is not one.
    /// </summary>
    public static TimeSpan? Parse(string text)
    {
        if (text == "0")
        {
            return TimeSpan.Zero;
        }
        int index = 0;
        bool negative = false;
        if (index < text.Length && (text[index] == '-' || text[index] == '+'))
        {
            negative = text[index] == '-';
            index++;
        }
        if (index == text.Length)
        {
            return null;
        }
        double totalNanoseconds = 0;
        while (index < text.Length)
        {
            int numberStart = index;
            while (index < text.Length && (char.IsAsciiDigit(text[index]) || text[index] == '.'))
            {
                index++;
            }
            if (index == numberStart || !double.TryParse(text.AsSpan(numberStart, index - numberStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
            {
                return null;
            }
            int unitStart = index;
            while (index < text.Length && !char.IsAsciiDigit(text[index]) && text[index] != '.')
            {
                index++;
            }
            double? unitNanoseconds = UnitNanoseconds(text[unitStart..index]);
            if (unitNanoseconds is null)
            {
                return null;
            }
            totalNanoseconds += number * unitNanoseconds.Value;
        }
        var duration = TimeSpan.FromTicks((long)(totalNanoseconds / 100));
        return negative ? -duration : duration;
    }

    private static double? UnitNanoseconds(string unit) => unit switch
    {
        "ns" => 1,
        "us" or "µs" or "μs" => NanosPerMicro,
        "ms" => NanosPerMilli,
        "s" => NanosPerSecond,
        "m" => 60.0 * NanosPerSecond,
        "h" => 3600.0 * NanosPerSecond,
        _ => null,
    };

    // Go prints sub-second durations with the unit's integer part and the remaining digits, trailing zeros trimmed.
    private static string Fraction(ulong value, long unit)
    {
        ulong whole = value / (ulong)unit;
        ulong rest = value % (ulong)unit;
        if (rest == 0)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }
        int digits = unit == NanosPerMicro ? 3 : 6;
        string fraction = rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return whole.ToString(CultureInfo.InvariantCulture) + "." + fraction;
    }

    private static string LongForm(ulong nanoseconds)
    {
        var text = new StringBuilder();
        ulong hours = nanoseconds / (3600UL * NanosPerSecond);
        nanoseconds -= hours * 3600UL * NanosPerSecond;
        ulong minutes = nanoseconds / (60UL * NanosPerSecond);
        nanoseconds -= minutes * 60UL * NanosPerSecond;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }
        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }
        ulong seconds = nanoseconds / NanosPerSecond;
        ulong rest = nanoseconds % NanosPerSecond;
        text.Append(seconds.ToString(CultureInfo.InvariantCulture));
        if (rest > 0)
        {
            text.Append('.').Append(rest.ToString(CultureInfo.InvariantCulture).PadLeft(9, '0').TrimEnd('0'));
        }
        return text.Append('s').ToString();
    }
}
