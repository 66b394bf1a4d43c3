using Cairn.Toml;

namespace Cairn.Configuration.Schema.Types;

/// <summary>
/// The initial cluster: <c>name=peer-url</c> entries as a TOML array of strings, or etcd's comma-separated
/// string (<c>infra0=http://10.0.0.1:2380,infra1=http://10.0.0.2:2380</c>).
/// </summary>
internal sealed class ClusterSetting : SettingType<IReadOnlyList<ClusterMember>>
{
    public static ClusterSetting Instance { get; } = new();

    public override string Expected => "an array of \"name=peer-url\" strings such as [\"node1=http://10.0.0.1:2380\"]";

    public override bool TryParseToml(TomlNode node, out IReadOnlyList<ClusterMember> value, out string problem)
    {
        if (node is not TomlArray { IsArrayOfTables: false } array)
        {
            return base.TryParseToml(node, out value, out problem);
        }
        var entries = new List<string>(array.Count);
        foreach (TomlNode item in array)
        {
            if (item is not TomlValue { Kind: TomlValueKind.String } text)
            {
                value = [];
                problem = $"expected {Expected}, got an array holding {DescribeNode(item)}";
                return false;
            }
            entries.Add(text.AsString);
        }
        return TryParseEntries(entries, out value, out problem);
    }

    public override bool TryParseText(string text, out IReadOnlyList<ClusterMember> value, out string problem) =>
        TryParseEntries(ConfigUrls.SplitList(text), out value, out problem);

    public override string FormatToml(IReadOnlyList<ClusterMember> value) =>
        "[" + string.Join(", ", value.Select(member => TomlFormatting.QuoteString(member.ToString()))) + "]";

    private static bool TryParseEntries(IReadOnlyList<string> entries, out IReadOnlyList<ClusterMember> value, out string problem)
    {
        var members = new List<ClusterMember>(entries.Count);
        var seenUrls = new HashSet<string>(StringComparer.Ordinal);
        value = [];
        foreach (string entry in entries)
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            string name = equals > 0 ? entry[..equals].Trim() : "";
            if (name.Length == 0)
            {
                problem = $"entry \"{entry}\" is not name=peer-url (e.g. node1=http://10.0.0.1:2380)";
                return false;
            }
            if (!ConfigUrls.TryParseEndpoint(entry[(equals + 1)..].Trim(), out Uri url, out problem))
            {
                problem = $"entry \"{entry}\": {problem}";
                return false;
            }
            if (!seenUrls.Add(ConfigUrls.Endpoint(url)))
            {
                problem = $"peer URL {ConfigUrls.Format(url)} appears twice";
                return false;
            }
            members.Add(new ClusterMember(name, url));
        }
        value = members;
        problem = "";
        return true;
    }
}
