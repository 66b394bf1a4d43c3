using System.Collections.Concurrent;

namespace Cairn.Client.Grpc;

/// <summary>One server endpoint and its HTTP/2 connections (one <see cref="HttpMessageInvoker"/> per connection).</summary>
internal sealed class GrpcEndpoint : IDisposable
{
    private readonly HttpMessageInvoker[] _connections;
    private readonly ConcurrentDictionary<string, Uri> _methodUris = new(StringComparer.Ordinal);
    private int _nextConnection = -1;

    public GrpcEndpoint(Uri baseUri, HttpMessageInvoker[] connections)
    {
        BaseUri = baseUri;
        _connections = connections;
    }

    /// <summary><c>http://host:port/</c> or <c>https://host:port/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>The next connection, round-robin.</summary>
    public HttpMessageInvoker NextConnection()
    {
        uint index = (uint)Interlocked.Increment(ref _nextConnection);
        return _connections[index % (uint)_connections.Length];
    }

    /// <summary>The request URI of a method path; built once per path.</summary>
    public Uri MethodUri(string path) => _methodUris.GetOrAdd(path, static (methodPath, baseUri) => new Uri(baseUri, methodPath), BaseUri);

    /// <inheritdoc/>
    public override string ToString() => BaseUri.GetLeftPart(UriPartial.Authority);

    public void Dispose()
    {
        foreach (HttpMessageInvoker connection in _connections)
        {
            connection.Dispose();
        }
    }

    /// <summary>Parses an etcdctl-style endpoint (<c>host:port</c>, <c>http://...</c>, <c>https://...</c>).</summary>
    public static Uri ParseEndpoint(string endpoint, bool defaultToTls)
    {
        string trimmed = endpoint.Trim();
        if (!trimmed.Contains("://", StringComparison.Ordinal))
        {
            trimmed = (defaultToTls ? "https://" : "http://") + trimmed;
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.IsDefaultPort && !HasExplicitPort(trimmed))
        {
            throw new ArgumentException($"invalid endpoint '{endpoint}': expected host:port, http://host:port or https://host:port");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    private static bool HasExplicitPort(string uri)
    {
        int authorityStart = uri.IndexOf("://", StringComparison.Ordinal) + 3;
        int pathStart = uri.IndexOf('/', authorityStart);
        string authority = pathStart < 0 ? uri[authorityStart..] : uri[authorityStart..pathStart];
        int closingBracket = authority.LastIndexOf(']');
        return authority.IndexOf(':', closingBracket + 1) >= 0;
    }
}
