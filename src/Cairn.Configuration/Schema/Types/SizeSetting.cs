using System.Globalization;
using Cairn.Toml;

namespace Cairn.Configuration.Schema.Types;

/// <summary>A byte size within [min, max]: integer bytes, or a string with a unit (see <see cref="ConfigSizes"/>).</summary>
internal sealed class SizeSetting(long minBytes, long maxBytes) : SettingType<long>
{
    public override string Expected => ConfigSizes.Help;

    public override bool TryParseToml(TomlNode node, out long value, out string problem)
    {
        if (node is TomlValue { Kind: TomlValueKind.Integer } integer)
        {
            value = integer.AsInteger;
            return CheckRange(value, out problem);
        }
        return base.TryParseToml(node, out value, out problem);
    }

    public override bool TryParseText(string text, out long value, out string problem)
    {
        if (!ConfigSizes.TryParse(text, out value))
        {
            problem = $"expected {Expected}, got \"{text}\"";
            return false;
        }
        return CheckRange(value, out problem);
    }

    public override string FormatToml(long value) => value.ToString(CultureInfo.InvariantCulture);

    public override string? Describe(long value) => ConfigSizes.Describe(value);

    private bool CheckRange(long value, out string problem)
    {
        problem = value < minBytes || value > maxBytes
            ? $"{value} bytes is out of range (allowed: {ConfigSizes.Describe(minBytes)} to {ConfigSizes.Describe(maxBytes)})"
            : "";
        return problem.Length == 0;
    }
}
