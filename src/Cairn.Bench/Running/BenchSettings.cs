using Cairn.Bench.Grpc;

namespace Cairn.Bench.Running;

/// <summary>Which client library carries the calls.</summary>
internal enum BenchTransport
{
    /// <summary>The purpose-built lean HTTP/2 client (the default: cheap enough to share 2 CPUs with the server).</summary>
    Lean,

    /// <summary>Cairn.Client on SocketsHttpHandler, to compare the cost of the client itself.</summary>
    CairnClient,
}

/// <summary>The global flags of <c>cairn bench</c>, as etcd's benchmark has them.</summary>
internal sealed record BenchSettings(
    IReadOnlyList<BenchEndpoint> Endpoints,
    int Connections,
    int Clients,
    long Total,
    double Rate,
    BenchTransport Transport,
    TimeSpan DialTimeout,
    bool ShowProgress)
{
    /// <summary>The settings that go into every report.</summary>
    public IEnumerable<(string Name, string Value)> ReportParameters()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        yield return ("endpoints", string.Join(',', Endpoints));
        yield return ("conns", Connections.ToString(inv));
        yield return ("clients", Clients.ToString(inv));
        yield return ("total", Total.ToString(inv));
        yield return ("rate", Rate.ToString(inv));
        yield return ("transport", Transport == BenchTransport.Lean ? "lean" : "cairn-client");
    }
}
