using System.Globalization;

namespace Cairn.Cli.Output;

/// <summary>Byte sizes in SI units exactly as go-humanize's <c>Bytes</c> prints them (etcdctl's DB SIZE column).</summary>
public static class Humanize
{
    private static readonly string[] Units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];

    /// <summary>Formats <paramref name="bytes"/>: "9 B", "25 kB", "3.3 MB" (one decimal below 10).</summary>
    public static string Bytes(ulong bytes)
    {
        if (bytes < 10)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }
        // The same floating-point steps as go-humanize, so rounding at unit boundaries matches etcdctl.
        double exponent = Math.Floor(Math.Log(bytes) / Math.Log(1000));
        string unit = Units[(int)exponent];
        double value = Math.Floor(bytes / Math.Pow(1000, exponent) * 10 + 0.5) / 10;
        string number = value < 10
            ? value.ToString("F1", CultureInfo.InvariantCulture)
            : Math.Round(value, MidpointRounding.ToEven).ToString("F0", CultureInfo.InvariantCulture);
        return number + " " + unit;
    }
}
