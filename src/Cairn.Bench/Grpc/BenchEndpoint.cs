using System.Globalization;

namespace Cairn.Bench.Grpc;

/// <summary>A server address as <c>--endpoints</c> takes it: <c>host:port</c> or <c>http://host:port</c> (cleartext only).</summary>
internal readonly record struct BenchEndpoint(string Host, int Port)
{
    /// <summary>The <c>:authority</c> form, <c>host:port</c> (IPv6 hosts in brackets).</summary>
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses one endpoint, or explains what is wrong with it.</summary>
    public static bool TryParse(string text, out BenchEndpoint endpoint, out string error)
    {
        endpoint = default;
        string rest = text.Trim();
        if (rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            error = $"endpoint '{text}': only cleartext endpoints are supported by the benchmark (host:port or http://host:port)";
            return false;
        }

        if (rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest["http://".Length..];
        }

        rest = rest.TrimEnd('/');
        int colon = rest.LastIndexOf(':');
        string host = colon > 0 ? rest[..colon] : string.Empty;
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (host.Length == 0 || !int.TryParse(rest.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            error = $"endpoint '{text}' is not host:port (e.g. 127.0.0.1:2379)";
            return false;
        }

        endpoint = new BenchEndpoint(host, port);
        error = string.Empty;
        return true;
    }

    /// <summary>Parses a comma-separated list (etcd's <c>--endpoints a,b,c</c>).</summary>
    public static bool TryParseList(IEnumerable<string> texts, out List<BenchEndpoint> endpoints, out string error)
    {
        endpoints = new List<BenchEndpoint>();
        foreach (string text in texts)
        {
            foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!TryParse(part, out BenchEndpoint endpoint, out error))
                {
                    return false;
                }

                endpoints.Add(endpoint);
            }
        }

        error = endpoints.Count == 0 ? "no endpoints given; pass --endpoints host:port" : string.Empty;
        return endpoints.Count > 0;
    }
}
