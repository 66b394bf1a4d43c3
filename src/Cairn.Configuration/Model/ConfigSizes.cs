using System.Globalization;

namespace Cairn.Configuration;

/// <summary>
/// Byte sizes: an integer number of bytes, or a string with a unit. Binary units (KiB, MiB, GiB, TiB) are powers
/// of 1024, decimal units (KB, MB, GB, TB) powers of 1000, as their names say. Fractions are allowed when the
/// result is a whole number of bytes ("1.5MiB" is 1572864).
/// </summary>
public static class ConfigSizes
{
    private static readonly (string Unit, long Bytes)[] Units =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000),
        ("B", 1),
    ];

    /// <summary>What a size may look like, for messages.</summary>
    public const string Help = "a size: integer bytes or a string such as \"64MiB\", \"1.5MiB\" or \"2GiB\"";

    /// <summary>Parses "1048576", "64MiB", "1.5 MiB", "2GB".</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        ReadOnlySpan<char> trimmed = text.AsSpan().Trim();
        int numberLength = 0;
        while (numberLength < trimmed.Length && (char.IsAsciiDigit(trimmed[numberLength]) || trimmed[numberLength] is '.' or '_'))
        {
            numberLength++;
        }
        ReadOnlySpan<char> unitText = trimmed[numberLength..].Trim();
        long multiplier = 1;
        if (!unitText.IsEmpty && !TryFindUnit(unitText, out multiplier))
        {
            return false;
        }
        string number = trimmed[..numberLength].ToString().Replace("_", "", StringComparison.Ordinal);
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal amount))
        {
            return false;
        }
        decimal total = amount * multiplier;
        if (total != decimal.Truncate(total) || total > long.MaxValue)
        {
            return false;
        }
        bytes = (long)total;
        return true;
    }

    /// <summary>A human-readable form for comments, e.g. "64 MiB" or "1.5 MiB"; exact byte counts below 1 KiB.</summary>
    public static string Describe(long bytes)
    {
        foreach (var (unit, size) in Units.Where(u => u.Unit.EndsWith("iB", StringComparison.Ordinal)).Reverse())
        {
            if (bytes >= size && (decimal)bytes * 100 % size == 0)
            {
                return ((decimal)bytes / size).ToString("0.##", CultureInfo.InvariantCulture) + " " + unit;
            }
        }
        return bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
    }

    private static bool TryFindUnit(ReadOnlySpan<char> text, out long multiplier)
    {
        foreach (var (unit, bytes) in Units)
        {
            if (text.SequenceEqual(unit))
            {
                multiplier = bytes;
                return true;
            }
        }
        multiplier = 0;
        return false;
    }
}
