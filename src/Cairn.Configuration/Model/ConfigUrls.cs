namespace Cairn.Configuration;

/// <summary>Parses and formats the URLs of listeners, advertised endpoints and cluster members.</summary>
public static class ConfigUrls
{
    /// <summary>The form a URL is written in: as given, without the trailing slash <see cref="Uri"/> adds.</summary>
    public static string Format(Uri url) => url.IsAbsoluteUri ? url.OriginalString.TrimEnd('/') : url.ToString();

    /// <summary>Scheme, host and port in lower case: what two URLs must share to be the same endpoint.</summary>
    public static string Endpoint(Uri url) => $"{url.Scheme}://{url.Host.ToLowerInvariant()}:{url.Port}";

    /// <summary>
    /// Parses a URL Cairn listens on: http or https, an IP address or "localhost", an explicit port, no path.
    /// </summary>
    public static bool TryParseListen(string text, out Uri url, out string problem)
    {
        if (!TryParseEndpoint(text, out url, out problem))
        {
            return false;
        }
        if (url.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) && url.Host != "localhost")
        {
            problem = $"cannot listen on host name \"{url.Host}\" in \"{text}\": use an IP address (0.0.0.0 for all interfaces) or localhost";
            return false;
        }
        return true;
    }

    /// <summary>Parses a URL others use to reach this member: http or https, any host, an explicit port, no path.</summary>
    public static bool TryParseEndpoint(string text, out Uri url, out string problem)
    {
        url = null!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? parsed) || parsed.IsFile || parsed.IsUnc)
        {
            problem = $"\"{text}\" is not a URL (expected e.g. http://10.0.0.1:2379)";
            return false;
        }
        if (parsed.Scheme is "unix" or "unixs")
        {
            problem = $"unix socket URLs (\"{text}\") are not supported; use http:// or https:// with an IP and port";
            return false;
        }
        if (parsed.Scheme is not ("http" or "https"))
        {
            problem = $"URL \"{text}\" has scheme {parsed.Scheme}; expected http or https";
            return false;
        }
        if (!HasExplicitPort(text))
        {
            problem = $"URL \"{text}\" has no port (expected e.g. {parsed.Scheme}://{parsed.Authority}:2379)";
            return false;
        }
        if (parsed.AbsolutePath != "/" || parsed.Query.Length > 0 || parsed.Fragment.Length > 0 || parsed.UserInfo.Length > 0)
        {
            problem = $"URL \"{text}\" must be only scheme, host and port (no path, query or user)";
            return false;
        }
        url = parsed;
        problem = "";
        return true;
    }

    /// <summary>True for an absolute http:// or https:// URL (any port, any path), e.g. an S3 endpoint.</summary>
    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https";

    /// <summary>Splits etcd's comma-separated URL list form (empty entries are ignored).</summary>
    public static string[] SplitList(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    // Uri fills in a default port (80/443) silently; etcd needs the port written, and so does Cairn.
    private static bool HasExplicitPort(string text)
    {
        int authorityStart = text.IndexOf("://", StringComparison.Ordinal) + 3;
        int authorityEnd = text.IndexOfAny(['/', '?', '#'], authorityStart);
        ReadOnlySpan<char> authority = authorityEnd < 0 ? text.AsSpan(authorityStart) : text.AsSpan(authorityStart, authorityEnd - authorityStart);
        int colon = authority.LastIndexOf(':');
        return colon > authority.LastIndexOf(']') && colon < authority.Length - 1;
    }
}
