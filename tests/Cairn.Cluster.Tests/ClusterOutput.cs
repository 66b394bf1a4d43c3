using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cairn.Cluster.Tests;

/// <summary>
/// Makes etcdctl output of two different clusters comparable: URLs, sizes, durations and every number or hex ID
/// become placeholders, table padding collapses, and lines are sorted (members come in ID order, and IDs are
/// random; JSON arrays are sorted the same way). Field names, flags, texts and the number of rows survive.
/// </summary>
public static partial class ClusterOutput
{
    /// <summary>The normalized form of <paramref name="output"/>; etcdctl's own log lines are dropped.</summary>
    public static string Normalize(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("{\"level\":", StringComparison.Ordinal))
            .Select(line => line.StartsWith('{') || line.StartsWith('[') ? NormalizeJson(line) : NormalizeText(line));
        return string.Join('\n', lines.Order(StringComparer.Ordinal));
    }

    private static string NormalizeJson(string line)
    {
        using JsonDocument document = JsonDocument.Parse(line);
        return Json(document.RootElement);
    }

    private static string Json(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().Select(p => $"\"{p.Name}\":{Json(p.Value)}")) + "}",
        JsonValueKind.Array => "[" + string.Join(",", element.EnumerateArray().Select(Json).Order(StringComparer.Ordinal)) + "]",
        _ => NormalizeText(element.GetRawText()),
    };

    private static string NormalizeText(string line)
    {
        string text = Url().Replace(line, "URL");
        text = Size().Replace(text, "SIZE");
        text = Duration().Replace(text, "DUR");
        text = Number().Replace(text, "N");
        text = Spaces().Replace(text, " ");
        return Dashes().Replace(text, "-");
    }

    [GeneratedRegex(@"https?://[0-9.]+:[0-9]+")]
    private static partial Regex Url();

    [GeneratedRegex(@"\b[0-9]+(\.[0-9]+)? (B|kB|MB|GB)\b")]
    private static partial Regex Size();

    [GeneratedRegex(@"\b[0-9]+(\.[0-9]+)?(ns|µs|ms|s|m)\b")]
    private static partial Regex Duration();

    // A token of hex digits with at least one decimal digit: decimal numbers, hex member IDs, version parts.
    [GeneratedRegex(@"\b(?=[0-9a-f]*[0-9])[0-9a-f]+\b")]
    private static partial Regex Number();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();

    [GeneratedRegex("-{2,}")]
    private static partial Regex Dashes();
}
