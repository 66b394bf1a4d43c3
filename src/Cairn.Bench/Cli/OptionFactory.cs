using System.CommandLine;
using System.Globalization;

namespace Cairn.Bench.Cli;

/// <summary>Options with range checks: a bad value is a usage error (exit code 2) that names the flag and the value.</summary>
internal static class OptionFactory
{
    /// <summary>An integer option that must be at least <paramref name="min"/> (and at most <paramref name="max"/>).</summary>
    public static Option<int> Int(string name, string description, int defaultValue, int min, int max = int.MaxValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (!Parses(result, static text => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            {
                return;
            }

            int value = result.GetValueOrDefault<int>();
            if (value < min || value > max)
            {
                result.AddError(RangeMessage(name, value, min, max));
            }
        });
        return option;
    }

    /// <summary>A 64-bit integer option that must be at least <paramref name="min"/> (and at most <paramref name="max"/>).</summary>
    public static Option<long> Long(string name, string description, long defaultValue, long min, long max = long.MaxValue)
    {
        var option = new Option<long>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (!Parses(result, static text => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            {
                return;
            }

            long value = result.GetValueOrDefault<long>();
            if (value < min || value > max)
            {
                result.AddError(RangeMessage(name, value, min, max));
            }
        });
        return option;
    }

    /// <summary>A duration option in Go's notation (<c>500ms</c>, <c>2s</c>, <c>1m30s</c>), as etcd's flags take it.</summary>
    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue)
    {
        return new Option<TimeSpan>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (GoDuration.TryParse(text, out TimeSpan value) && value > TimeSpan.Zero)
                {
                    return value;
                }

                result.AddError($"{name} '{text}' is not a positive duration (e.g. 2s, 500ms, 1m)");
                return defaultValue;
            },
        };
    }

    // A value that is not a number at all is reported by the parser itself; reading it here would throw.
    private static bool Parses(System.CommandLine.Parsing.OptionResult result, Func<string, bool> tryParse) =>
        result.Tokens.Count == 0 || tryParse(result.Tokens[^1].Value);

    private static string RangeMessage(string name, long value, long min, long max) =>
        max == long.MaxValue || max == int.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"{name} must be at least {min} (got {value})")
            : string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max} (got {value})");
}
