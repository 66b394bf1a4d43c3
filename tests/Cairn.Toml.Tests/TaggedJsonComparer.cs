using System.Globalization;
using System.Text.Json;

namespace Cairn.Toml.Tests;

/// <summary>
/// Compares two tagged-JSON documents by meaning, with toml-test's rules: tables by key set, arrays in order,
/// type tags exactly, floats and date/times by value (see the toml-test README).
/// </summary>
internal static class TaggedJsonComparer
{
    /// <summary>Returns null when equal, else the path and what differs.</summary>
    public static string? Difference(JsonElement expected, JsonElement actual, string path = "$")
    {
        if (IsScalar(expected) || IsScalar(actual))
        {
            return CompareScalars(expected, actual, path);
        }
        if (expected.ValueKind != actual.ValueKind)
        {
            return $"{path}: expected {expected.ValueKind}, got {actual.ValueKind}";
        }
        return expected.ValueKind switch
        {
            JsonValueKind.Object => CompareTables(expected, actual, path),
            JsonValueKind.Array => CompareArrays(expected, actual, path),
            _ => $"{path}: unexpected JSON {expected.ValueKind} in tagged JSON",
        };
    }

    private static bool IsScalar(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object &&
        element.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String &&
        element.TryGetProperty("value", out JsonElement value) && value.ValueKind == JsonValueKind.String;

    private static string? CompareTables(JsonElement expected, JsonElement actual, string path)
    {
        var expectedKeys = expected.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var actualKeys = actual.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        if (!expectedKeys.SetEquals(actualKeys))
        {
            return $"{path}: expected keys [{string.Join(", ", expectedKeys.Order())}], got [{string.Join(", ", actualKeys.Order())}]";
        }
        foreach (string key in expectedKeys)
        {
            string? difference = Difference(expected.GetProperty(key), actual.GetProperty(key), $"{path}.{key}");
            if (difference is not null)
            {
                return difference;
            }
        }
        return null;
    }

    private static string? CompareArrays(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.GetArrayLength() != actual.GetArrayLength())
        {
            return $"{path}: expected {expected.GetArrayLength()} elements, got {actual.GetArrayLength()}";
        }
        for (int i = 0; i < expected.GetArrayLength(); i++)
        {
            string? difference = Difference(expected[i], actual[i], $"{path}[{i}]");
            if (difference is not null)
            {
                return difference;
            }
        }
        return null;
    }

    private static string? CompareScalars(JsonElement expected, JsonElement actual, string path)
    {
        if (!IsScalar(expected) || !IsScalar(actual))
        {
            return $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
        }
        string type = expected.GetProperty("type").GetString()!;
        string actualType = actual.GetProperty("type").GetString()!;
        string expectedValue = expected.GetProperty("value").GetString()!;
        string actualValue = actual.GetProperty("value").GetString()!;
        if (type != actualType)
        {
            return $"{path}: expected type {type}, got {actualType} ({actualValue})";
        }
        bool equal = type switch
        {
            "string" or "integer" => expectedValue == actualValue,
            "bool" => string.Equals(expectedValue, actualValue, StringComparison.OrdinalIgnoreCase),
            "float" => FloatsEqual(expectedValue, actualValue),
            "datetime" => ParseOffsetDateTime(expectedValue) == ParseOffsetDateTime(actualValue),
            "datetime-local" => ParseLocal(expectedValue, "yyyy-MM-ddTHH:mm:ss.fff") == ParseLocal(actualValue, "yyyy-MM-ddTHH:mm:ss.fff"),
            "date-local" => ParseLocal(expectedValue, "yyyy-MM-dd") == ParseLocal(actualValue, "yyyy-MM-dd"),
            "time-local" => ParseLocal("0001-01-01T" + expectedValue, "yyyy-MM-ddTHH:mm:ss.fff") == ParseLocal("0001-01-01T" + actualValue, "yyyy-MM-ddTHH:mm:ss.fff"),
            _ => throw new InvalidOperationException($"{path}: unknown type tag {type}"),
        };
        return equal ? null : $"{path}: expected {type} {expectedValue}, got {actualValue}";
    }

    private static bool FloatsEqual(string expected, string actual)
    {
        double a = ParseFloat(expected), b = ParseFloat(actual);
        return (double.IsNaN(a) && double.IsNaN(b)) || a == b;
    }

    private static double ParseFloat(string text) => text.TrimStart('+', '-').ToLowerInvariant() switch
    {
        "nan" => double.NaN,
        "inf" => text.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static DateTimeOffset ParseOffsetDateTime(string text)
    {
        string normalized = NormalizeSeparators(text);
        int timeStart = normalized.IndexOf('T') + 1;
        int offsetStart = normalized.IndexOfAny(['Z', '+', '-'], timeStart);
        DateTime local = ParseLocal(normalized[..offsetStart], "yyyy-MM-ddTHH:mm:ss.fff");
        string offset = normalized[offsetStart..];
        TimeSpan offsetSpan = offset == "Z" ? TimeSpan.Zero : TimeSpan.ParseExact(offset[1..], @"hh\:mm", CultureInfo.InvariantCulture);
        return new DateTimeOffset(local, offset.StartsWith('-') ? -offsetSpan : offsetSpan);
    }

    /// <summary>Parses a local date/time with the fraction truncated to milliseconds (toml-test's required precision).</summary>
    private static DateTime ParseLocal(string text, string format)
    {
        string normalized = NormalizeSeparators(text);
        int dot = normalized.IndexOf('.');
        string whole = dot < 0 ? normalized : normalized[..dot];
        string fraction = dot < 0 ? "000" : (normalized[(dot + 1)..] + "000")[..3];
        string value = format.Length > 10 ? $"{whole}.{fraction}" : whole;
        return DateTime.ParseExact(value, format, CultureInfo.InvariantCulture);
    }

    private static string NormalizeSeparators(string text) =>
        text.Replace(' ', 'T').Replace('t', 'T').Replace('z', 'Z');
}
