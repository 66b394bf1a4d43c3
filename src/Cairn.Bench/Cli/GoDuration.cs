using System.Globalization;

namespace Cairn.Bench.Cli;

/// <summary>Go's duration notation (<c>time.ParseDuration</c>): a sequence of decimal numbers with units ns, us, µs, ms, s, m, h.</summary>
internal static class GoDuration
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a duration.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        ReadOnlySpan<char> rest = text.AsSpan().Trim();
        if (rest.IsEmpty)
        {
            return false;
        }

        double totalSeconds = 0;
        while (!rest.IsEmpty)
        {
            int digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }

            int unitLength = 0;
            while (digits + unitLength < rest.Length && !char.IsAsciiDigit(rest[digits + unitLength]) && rest[digits + unitLength] != '.')
            {
                unitLength++;
            }

            if (digits == 0 || !double.TryParse(rest[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
            {
                return false;
            }

            double? unitSeconds = rest.Slice(digits, unitLength) switch
            {
                "ns" => 1e-9,
                "us" or "µs" => 1e-6,
                "ms" => 1e-3,
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                _ => null,
            };
            if (unitSeconds is null)
            {
                return false;
            }

            totalSeconds += number * unitSeconds.Value;
            rest = rest[(digits + unitLength)..];
        }

        value = TimeSpan.FromSeconds(totalSeconds);
        return true;
    }
}
