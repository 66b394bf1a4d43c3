using System.Globalization;

namespace Cairn.Protocol.Grpc;

/// <summary>
/// The <c>grpc-timeout</c> header: at most 8 ASCII digits followed by a unit,
/// <c>H</c> hours, <c>M</c> minutes, <c>S</c> seconds, <c>m</c> milliseconds, <c>u</c> microseconds, <c>n</c> nanoseconds.
/// </summary>
public static class GrpcTimeout
{
    /// <summary>The most digits the spec allows in a timeout value.</summary>
    public const int MaxDigits = 8;

    private const long MaxValue = 99_999_999;
    private const long NanosecondsPerTick = 100;

    // Units from finest to coarsest, in nanoseconds, for formatting.
    private static readonly (long Nanoseconds, char Unit)[] Units =
    [
        (1, 'n'),
        (1_000, 'u'),
        (1_000_000, 'm'),
        (1_000_000_000, 'S'),
        (60_000_000_000, 'M'),
        (3_600_000_000_000, 'H'),
    ];

    /// <summary>Parses a <c>grpc-timeout</c> value. Returns false for anything the spec does not allow.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out TimeSpan timeout)
    {
        timeout = default;
        if (value.Length < 2 || value.Length > MaxDigits + 1)
        {
            return false;
        }

        long amount = 0;
        foreach (char digit in value[..^1])
        {
            if (digit is < '0' or > '9')
            {
                return false;
            }

            amount = (amount * 10) + (digit - '0');
        }

        long ticks;
        switch (value[^1])
        {
            case 'H': ticks = amount * TimeSpan.TicksPerHour; break;
            case 'M': ticks = amount * TimeSpan.TicksPerMinute; break;
            case 'S': ticks = amount * TimeSpan.TicksPerSecond; break;
            case 'm': ticks = amount * TimeSpan.TicksPerMillisecond; break;
            case 'u': ticks = amount * (TimeSpan.TicksPerMillisecond / 1000); break;
            case 'n': ticks = amount / NanosecondsPerTick; break;
            default: return false;
        }

        timeout = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>
    /// Formats a timeout for the <c>grpc-timeout</c> header in the finest unit whose value fits in 8 digits,
    /// rounding up so the server never sees a shorter deadline than the client's. Zero or negative gives <c>0n</c>.
    /// </summary>
    public static string Format(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return "0n";
        }

        // TimeSpan tops out near 9.2e20 ns, so compute in decimal to avoid overflowing long.
        decimal nanoseconds = (decimal)timeout.Ticks * NanosecondsPerTick;
        foreach ((long unitNanoseconds, char unit) in Units)
        {
            decimal amount = decimal.Ceiling(nanoseconds / unitNanoseconds);
            if (amount <= MaxValue)
            {
                return ((long)amount).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
