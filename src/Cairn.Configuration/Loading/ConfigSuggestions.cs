using Cairn.Configuration.Schema;

namespace Cairn.Configuration;

/// <summary>"did you mean ...?" for misspelt keys, environment variables and flags.</summary>
internal static class ConfigSuggestions
{
    /// <summary>A suggestion for an unknown key, or "" when nothing is close.</summary>
    public static string DidYouMean(string unknownKey)
    {
        // People often carry etcd's flag spelling over: quota-backend-bytes for quota_backend_bytes.
        string normalized = unknownKey.Replace('-', '_');
        string? best = Closest(normalized, ConfigSchema.Settings.Select(s => s.Key))
            ?? ConfigSchema.Settings.Select(s => s.Key).FirstOrDefault(key => key.EndsWith("." + normalized, StringComparison.Ordinal))
            ?? SameSectionWithAllWords(normalized);
        return best is null ? "" : $" (did you mean {best}?)";
    }

    /// <summary>A key in the same table whose name holds every word of the unknown one (quota_bytes: quota_backend_bytes).</summary>
    private static string? SameSectionWithAllWords(string unknownKey)
    {
        int dot = unknownKey.LastIndexOf('.');
        string section = dot < 0 ? "" : unknownKey[..dot];
        string[] words = unknownKey[(dot + 1)..].Split('_', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0
            ? null
            : ConfigSchema.Settings.FirstOrDefault(s => s.Section == section && words.All(w => s.LocalName.Split('_').Contains(w)))?.Key;
    }

    /// <summary>A suggestion for an unknown <c>CAIRN_*</c> variable, or "".</summary>
    public static string DidYouMeanVariable(string unknownVariable)
    {
        string? best = Closest(unknownVariable, ConfigSchema.Settings.Where(s => s.AcceptsText).Select(s => s.EnvironmentVariable));
        return best is null ? "" : $" (did you mean {best}?)";
    }

    /// <summary>The candidate within a small edit distance of <paramref name="text"/>, or null.</summary>
    public static string? Closest(string text, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = Math.Max(2, text.Length / 4) + 1;
        foreach (string candidate in candidates)
        {
            int distance = EditDistance(text, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
