using Cairn.Toml;

namespace Cairn.Configuration.Schema.Types;

/// <summary>An optional duration string ("" means not set) at least <paramref name="minimum"/> long.</summary>
internal sealed class DurationSetting(TimeSpan minimum) : SettingType<TimeSpan?>
{
    public override string Expected => ConfigDurations.Help + " (or \"\" for none)";

    public override bool TryParseText(string text, out TimeSpan? value, out string problem)
    {
        value = null;
        problem = "";
        if (text.Trim().Length == 0)
        {
            return true;
        }
        if (!ConfigDurations.TryParse(text, out TimeSpan duration))
        {
            problem = $"expected {Expected}, got \"{text}\"";
            return false;
        }
        if (duration < minimum)
        {
            problem = $"\"{text}\" is shorter than the minimum {ConfigDurations.Format(minimum)}";
            return false;
        }
        value = duration;
        return true;
    }

    public override string FormatToml(TimeSpan? value) =>
        TomlFormatting.QuoteString(value is TimeSpan duration ? ConfigDurations.Format(duration) : "");
}
