using System.Globalization;
using System.Text;

namespace Cairn.Configuration;

/// <summary>
/// Duration text as configs use it: numbers with units, largest first, e.g. "500ms", "90s", "10m", "1h30m", "7d".
/// </summary>
public static class ConfigDurations
{
    private static readonly (string Unit, TimeSpan Length)[] Units =
    [
        ("d", TimeSpan.FromDays(1)),
        ("h", TimeSpan.FromHours(1)),
        ("ms", TimeSpan.FromMilliseconds(1)),
        ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)),
    ];

    /// <summary>The units accepted, for messages.</summary>
    public const string Help = "a duration such as \"500ms\", \"90s\", \"10m\", \"1h30m\" or \"7d\"";

    /// <summary>Parses a duration; every number needs a unit (ms, s, m, h, d).</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        ReadOnlySpan<char> rest = text.AsSpan().Trim();
        if (rest.IsEmpty)
        {
            return false;
        }
        while (!rest.IsEmpty)
        {
            int numberLength = 0;
            while (numberLength < rest.Length && (char.IsAsciiDigit(rest[numberLength]) || rest[numberLength] == '.'))
            {
                numberLength++;
            }
            if (numberLength == 0 || !decimal.TryParse(rest[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal amount))
            {
                return false;
            }
            rest = rest[numberLength..];
            if (!TryTakeUnit(ref rest, out TimeSpan unit) || amount * unit.Ticks > TimeSpan.MaxValue.Ticks - duration.Ticks)
            {
                return false;
            }
            duration += TimeSpan.FromTicks((long)(amount * unit.Ticks));
        }
        return true;
    }

    /// <summary>
    /// etcd's periodic auto-compaction retention: a duration, or a bare number of hours ("5" is 5h; "0" is off).
    /// </summary>
    public static bool TryParseRetentionPeriod(string text, out TimeSpan period)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long hours) && hours <= 1_000_000)
        {
            period = TimeSpan.FromHours(hours);
            return true;
        }
        return TryParse(text, out period);
    }

    /// <summary>Formats largest unit first ("1h30m", "7d", "250ms"); zero is "0s".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }
        var text = new StringBuilder();
        long remainingTicks = duration.Ticks;
        foreach (var (unit, length) in Units.OrderByDescending(u => u.Length))
        {
            long count = remainingTicks / length.Ticks;
            if (count > 0)
            {
                text.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                remainingTicks -= count * length.Ticks;
            }
        }
        return text.ToString();
    }

    private static bool TryTakeUnit(ref ReadOnlySpan<char> rest, out TimeSpan unit)
    {
        foreach (var (name, length) in Units)
        {
            if (rest.StartsWith(name, StringComparison.Ordinal))
            {
                rest = rest[name.Length..];
                unit = length;
                return true;
            }
        }
        unit = TimeSpan.Zero;
        return false;
    }
}
