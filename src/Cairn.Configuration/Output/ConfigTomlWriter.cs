using System.Text;
using Cairn.Configuration.Schema;

namespace Cairn.Configuration;

/// <summary>Writes a configuration as TOML that loads back to the same values, optionally noting each value's origin.</summary>
public static class ConfigTomlWriter
{
    /// <summary>
    /// Every key in documentation order. With <paramref name="origins"/>, each line ends with a comment saying
    /// where the value came from (<c># default</c>, <c># /etc/cairn/cairn.toml:12</c>, <c># env CAIRN_X</c>, <c># flag --x</c>).
    /// </summary>
    public static string Write(CairnConfig config, IReadOnlyDictionary<string, ConfigOrigin>? origins = null)
    {
        var text = new StringBuilder();
        if (origins is not null)
        {
            text.AppendLine("# Effective Cairn configuration (cairn config show). After each value: where it came from.");
        }
        string section = "";
        foreach (ConfigSetting setting in ConfigSchema.Settings)
        {
            if (setting.Section != section)
            {
                section = setting.Section;
                text.AppendLine().Append('[').Append(section).AppendLine("]");
            }
            text.Append(setting.LocalName).Append(" = ").Append(setting.FormatToml(config));
            AppendComment(text, setting.Describe(config), origins?.GetValueOrDefault(setting.Key, ConfigOrigin.Default));
            text.AppendLine();
        }
        return text.ToString();
    }

    private static void AppendComment(StringBuilder text, string? note, ConfigOrigin? origin)
    {
        if (note is null && origin is null)
        {
            return;
        }
        text.Append("  # ");
        if (origin is ConfigOrigin where)
        {
            text.Append(where.ToString());
            if (note is not null)
            {
                text.Append("; ");
            }
        }
        text.Append(note);
    }
}
