using System.Globalization;

namespace Cairn.Clients.Tests;

/// <summary>One sample of a scrape: metric name, labels, value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict parser of the Prometheus text format 0.0.4, written for the tests: every sample must belong to a family
/// declared by a preceding <c># TYPE</c> line (histograms own their _bucket, _sum and _count samples), names and
/// label names must be valid, label values properly quoted and escaped, values numbers or +Inf/-Inf/NaN. Any violation
/// throws <see cref="FormatException"/> naming the line.
/// </summary>
internal static class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<PrometheusSample>();
        string[] lines = text.Split('\n');
        if (lines[^1].Length != 0)
        {
            throw new FormatException("the exposition must end with a newline");
        }
        for (int number = 1; number < lines.Length; number++)
        {
            string line = lines[number - 1];
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line["# TYPE ".Length..].Split(' ');
                if (parts.Length != 2 || !IsName(parts[0]) || parts[1] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                {
                    throw new FormatException($"line {number}: bad TYPE line: {line}");
                }
                if (!types.TryAdd(parts[0], parts[1]))
                {
                    throw new FormatException($"line {number}: {parts[0]} declared twice");
                }
            }
            else if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }
            else
            {
                PrometheusSample sample = ParseSample(line, number);
                if (FamilyOf(sample.Name, types) is null)
                {
                    throw new FormatException($"line {number}: {sample.Name} has no preceding # TYPE");
                }
                samples.Add(sample);
            }
        }
        return samples;
    }

    /// <summary>The family names a scrape declares.</summary>
    public static IReadOnlySet<string> FamilyNames(string text)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                names.Add(line["# TYPE ".Length..].Split(' ')[0]);
            }
        }
        return names;
    }

    /// <summary>The value of the one sample named <paramref name="name"/> whose labels include <paramref name="labels"/>; 0 if absent.</summary>
    public static double Value(IReadOnlyList<PrometheusSample> samples, string name, params (string Name, string Value)[] labels)
    {
        double total = 0;
        foreach (PrometheusSample sample in samples)
        {
            if (sample.Name == name && Array.TrueForAll(labels, l => sample.Labels.TryGetValue(l.Name, out string? v) && v == l.Value))
            {
                total += sample.Value;
            }
        }
        return total;
    }

    private static string? FamilyOf(string sampleName, Dictionary<string, string> types)
    {
        if (types.ContainsKey(sampleName))
        {
            return sampleName;
        }
        foreach (string suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal)
                && types.TryGetValue(sampleName[..^suffix.Length], out string? type) && type is "histogram" or "summary")
            {
                return sampleName[..^suffix.Length];
            }
        }
        return null;
    }

    private static PrometheusSample ParseSample(string line, int number)
    {
        int position = 0;
        while (position < line.Length && line[position] is not ('{' or ' '))
        {
            position++;
        }
        string name = line[..position];
        if (!IsName(name))
        {
            throw new FormatException($"line {number}: bad metric name '{name}'");
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position = ParseLabels(line, position + 1, labels, number);
        }
        if (position >= line.Length || line[position] != ' ')
        {
            throw new FormatException($"line {number}: expected a space before the value: {line}");
        }
        string[] rest = line[(position + 1)..].Split(' ');
        if (rest.Length is < 1 or > 2 || !TryParseValue(rest[0], out double value))
        {
            throw new FormatException($"line {number}: bad value: {line}");
        }
        return new PrometheusSample(name, labels, value);
    }

    private static int ParseLabels(string line, int position, Dictionary<string, string> labels, int number)
    {
        while (position < line.Length && line[position] != '}')
        {
            int equals = line.IndexOf('=', position);
            if (equals < 0 || !IsName(line[position..equals]) || equals + 1 >= line.Length || line[equals + 1] != '"')
            {
                throw new FormatException($"line {number}: bad label at column {position}: {line}");
            }
            string labelName = line[position..equals];
            var value = new System.Text.StringBuilder();
            position = equals + 2;
            while (position < line.Length && line[position] != '"')
            {
                if (line[position] == '\\')
                {
                    position++;
                    value.Append(position < line.Length ? line[position] switch { 'n' => '\n', '\\' => '\\', '"' => '"', _ => throw new FormatException($"line {number}: bad escape") } : throw new FormatException($"line {number}: unterminated escape"));
                }
                else
                {
                    value.Append(line[position]);
                }
                position++;
            }
            if (position >= line.Length || !labels.TryAdd(labelName, value.ToString()))
            {
                throw new FormatException($"line {number}: unterminated or repeated label {labelName}");
            }
            position++;
            if (position < line.Length && line[position] == ',')
            {
                position++;
            }
        }
        if (position >= line.Length)
        {
            throw new FormatException($"line {number}: unterminated label set");
        }
        return position + 1;
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf": value = double.PositiveInfinity; return true;
            case "-Inf": value = double.NegativeInfinity; return true;
            case "NaN": value = double.NaN; return true;
            default: return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static bool IsName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
            {
                return false;
            }
        }
        return true;
    }
}
