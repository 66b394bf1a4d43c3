using Cairn.Toml;

namespace Cairn.Configuration.Schema.Types;

/// <summary>
/// A list of URLs: a TOML array of strings, or one string with etcd's comma-separated form (the only form in
/// environment variables and flags). Listen URLs must name an IP address; no URL may appear twice.
/// </summary>
internal sealed class UrlListSetting(bool forListening) : SettingType<IReadOnlyList<Uri>>
{
    public static UrlListSetting Listen { get; } = new(forListening: true);

    public static UrlListSetting Advertise { get; } = new(forListening: false);

    public override string Expected => "an array of URL strings such as [\"http://10.0.0.1:2379\"]";

    public override bool TryParseToml(TomlNode node, out IReadOnlyList<Uri> value, out string problem)
    {
        if (node is not TomlArray { IsArrayOfTables: false } array)
        {
            return base.TryParseToml(node, out value, out problem);
        }
        var texts = new List<string>(array.Count);
        foreach (TomlNode item in array)
        {
            if (item is not TomlValue { Kind: TomlValueKind.String } text)
            {
                value = [];
                problem = $"expected {Expected}, got an array holding {DescribeNode(item)}";
                return false;
            }
            texts.Add(text.AsString);
        }
        return TryParseAll(texts, out value, out problem);
    }

    public override bool TryParseText(string text, out IReadOnlyList<Uri> value, out string problem) =>
        TryParseAll(ConfigUrls.SplitList(text), out value, out problem);

    public override string FormatToml(IReadOnlyList<Uri> value) =>
        "[" + string.Join(", ", value.Select(url => TomlFormatting.QuoteString(ConfigUrls.Format(url)))) + "]";

    private bool TryParseAll(IReadOnlyList<string> texts, out IReadOnlyList<Uri> value, out string problem)
    {
        var urls = new List<Uri>(texts.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string text in texts)
        {
            bool parsed = forListening
                ? ConfigUrls.TryParseListen(text.Trim(), out Uri url, out problem)
                : ConfigUrls.TryParseEndpoint(text.Trim(), out url, out problem);
            if (!parsed)
            {
                value = [];
                return false;
            }
            if (!seen.Add(ConfigUrls.Endpoint(url)))
            {
                value = [];
                problem = $"URL \"{text}\" is listed twice";
                return false;
            }
            urls.Add(url);
        }
        value = urls;
        problem = "";
        return true;
    }
}
