using System.Globalization;
using Cairn.Toml;

namespace Cairn.Configuration.Schema.Types;

/// <summary>
/// etcd's auto-compaction retention text. Its meaning depends on the mode (set separately, maybe by another
/// source), so here it is only normalised; the cross-field validation checks it against the mode.
/// </summary>
internal sealed class RetentionSetting : SettingType<string>
{
    public static RetentionSetting Instance { get; } = new();

    public override string Expected => "a duration such as \"1h\" (periodic mode) or a revision count such as \"1000\" (revision mode)";

    public override bool TryParseToml(TomlNode node, out string value, out string problem)
    {
        if (node is TomlValue { Kind: TomlValueKind.Integer } integer)
        {
            return TryParseText(integer.AsInteger.ToString(CultureInfo.InvariantCulture), out value, out problem);
        }
        return base.TryParseToml(node, out value, out problem);
    }

    public override bool TryParseText(string text, out string value, out string problem)
    {
        value = text.Trim();
        bool plausible = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) || ConfigDurations.TryParse(value, out _);
        problem = plausible ? "" : $"expected {Expected}, got \"{text}\"";
        return plausible;
    }

    public override string FormatToml(string value) => TomlFormatting.QuoteString(value);
}
