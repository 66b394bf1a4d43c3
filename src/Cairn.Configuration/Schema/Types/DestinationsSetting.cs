using Cairn.Toml;

namespace Cairn.Configuration.Schema.Types;

/// <summary>
/// Backup destinations: an array of tables (<c>[[backup.destinations]]</c>, or inline tables) with the keys
/// url, endpoint, region and credentials_file. Only the configuration file can set them.
/// </summary>
internal sealed class DestinationsSetting : SettingType<IReadOnlyList<BackupDestination>>
{
    public static DestinationsSetting Instance { get; } = new();

    private static readonly string[] Keys = ["url", "endpoint", "region", "credentials_file"];

    public override string Expected => "an array of tables ([[backup.destinations]] with url = \"...\")";

    public override bool TryParseToml(TomlNode node, out IReadOnlyList<BackupDestination> value, out string problem)
    {
        value = [];
        if (node is not TomlArray array)
        {
            problem = Mismatch(node);
            return false;
        }
        var destinations = new List<BackupDestination>(array.Count);
        foreach (TomlNode item in array)
        {
            if (item is not TomlTable table)
            {
                problem = $"expected {Expected}, got an array holding {DescribeNode(item)}";
                return false;
            }
            if (!TryParseDestination(table, out BackupDestination? destination, out problem))
            {
                problem = $"destination at line {table.Line}: {problem}";
                return false;
            }
            destinations.Add(destination);
        }
        value = destinations;
        problem = "";
        return true;
    }

    public override bool TryParseText(string text, out IReadOnlyList<BackupDestination> value, out string problem)
    {
        value = [];
        problem = "backup destinations can only be set in the configuration file ([[backup.destinations]])";
        return false;
    }

    public override string FormatToml(IReadOnlyList<BackupDestination> value) =>
        "[" + string.Join(", ", value.Select(FormatInline)) + "]";

    private static string FormatInline(BackupDestination destination)
    {
        var parts = new List<string> { $"url = {TomlFormatting.QuoteString(ConfigUrls.Format(destination.Url))}" };
        if (destination.IsS3)
        {
            parts.Add($"endpoint = {TomlFormatting.QuoteString(destination.Endpoint)}");
            parts.Add($"region = {TomlFormatting.QuoteString(destination.Region)}");
            parts.Add($"credentials_file = {TomlFormatting.QuoteString(destination.CredentialsFile)}");
        }
        return "{ " + string.Join(", ", parts) + " }";
    }

    private static bool TryParseDestination(TomlTable table, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BackupDestination? destination, out string problem)
    {
        destination = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, TomlNode> entry in table)
        {
            if (Array.IndexOf(Keys, entry.Key) < 0)
            {
                problem = $"unknown key {entry.Key} (line {entry.Value.Line}; known keys: {string.Join(", ", Keys)})";
                return false;
            }
            if (entry.Value is not TomlValue { Kind: TomlValueKind.String } text)
            {
                problem = $"{entry.Key} (line {entry.Value.Line}): expected a string, got {DescribeNode(entry.Value)}";
                return false;
            }
            values[entry.Key] = text.AsString;
        }
        if (!values.TryGetValue("url", out string? urlText))
        {
            problem = "url is missing (e.g. url = \"file:///var/backups/cairn\" or \"s3://bucket/prefix\")";
            return false;
        }
        if (!TryParseUrl(urlText, out Uri? url, out problem))
        {
            return false;
        }
        destination = new BackupDestination
        {
            Url = url,
            Endpoint = values.GetValueOrDefault("endpoint", ""),
            Region = values.GetValueOrDefault("region", "us-east-1"),
            CredentialsFile = values.GetValueOrDefault("credentials_file", ""),
        };
        return CheckDestination(destination, values, out problem);
    }

    private static bool TryParseUrl(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? url, out string problem)
    {
        problem = "";
        if (text.StartsWith('/'))
        {
            url = new Uri("file://" + text);
            return true;
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out url) && (url.IsFile || url.Scheme == "s3") && url.Host.Length + url.AbsolutePath.Length > 1)
        {
            return true;
        }
        problem = $"url \"{text}\" is not a local directory (file:///path or /path) or an S3 location (s3://bucket/prefix)";
        url = null;
        return false;
    }

    private static bool CheckDestination(BackupDestination destination, Dictionary<string, string> values, out string problem)
    {
        problem = "";
        if (destination.IsLocal && values.Keys.Any(key => key != "url"))
        {
            problem = $"endpoint, region and credentials_file apply to s3:// destinations only, not to {ConfigUrls.Format(destination.Url)}";
        }
        else if (destination.IsS3 && destination.CredentialsFile.Length == 0)
        {
            problem = "an s3:// destination needs credentials_file (a file with the access key id and secret key)";
        }
        else if (destination.IsS3 && destination.Endpoint.Length > 0 && !ConfigUrls.IsHttpUrl(destination.Endpoint))
        {
            problem = $"endpoint \"{destination.Endpoint}\" is not an http:// or https:// URL";
        }
        return problem.Length == 0;
    }
}
