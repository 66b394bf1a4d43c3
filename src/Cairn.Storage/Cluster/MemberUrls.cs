namespace Cairn.Storage.Cluster;

/// <summary>etcd's URL rules for member peer and client URLs: absolute http/https (or unix/unixs) URLs of the form
/// scheme://host:port with no path, query or fragment. Lists are kept sorted, as etcd's types.NewURLs does.</summary>
public static class MemberUrls
{
    /// <summary>True if every URL is valid (an empty list is invalid).</summary>
    public static bool AreValid(IReadOnlyCollection<string> urls)
    {
        if (urls.Count == 0)
        {
            return false;
        }

        foreach (string url in urls)
        {
            if (!IsValid(url))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True if the URL is scheme://host:port as etcd accepts it.</summary>
    public static bool IsValid(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
        {
            return false;
        }

        bool network = uri.Scheme is "http" or "https";
        bool unix = uri.Scheme is "unix" or "unixs";
        if (!network && !unix)
        {
            return false;
        }

        bool hasExplicitPort = url.AsSpan(uri.Scheme.Length + 3).Contains(':');
        return uri.Host.Length > 0 && (unix || hasExplicitPort)
            && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && !url.EndsWith('/');
    }

    /// <summary>The URLs sorted ordinally.</summary>
    public static List<string> Sorted(IEnumerable<string> urls)
    {
        var list = urls.ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }
}
