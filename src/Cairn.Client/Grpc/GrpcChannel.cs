using System.Net.Http;
using System.Security.Cryptography.X509Certificates;

namespace Cairn.Client.Grpc;

/// <summary>
/// The client's endpoints. Calls go to the current endpoint; after a connection failure the current endpoint moves
/// to the next one, so later calls do not keep trying a dead server first.
/// </summary>
internal sealed class GrpcChannel : IDisposable
{
    private readonly GrpcEndpoint[] _endpoints;
    private int _current;

    public GrpcChannel(EtcdClientOptions options)
    {
        options.Validate();
        (X509Certificate2Collection? trustedCas, X509Certificate2? clientCertificate) = GrpcConnectionFactory.LoadCredentials(options);
        _endpoints = new GrpcEndpoint[options.Endpoints.Count];
        for (int i = 0; i < _endpoints.Length; i++)
        {
            Uri baseUri = GrpcEndpoint.ParseEndpoint(options.Endpoints[i], options.UsesTls);
            var connections = new HttpMessageInvoker[options.ConnectionsPerEndpoint];
            for (int c = 0; c < connections.Length; c++)
            {
                connections[c] = GrpcConnectionFactory.Create(options, trustedCas, clientCertificate);
            }

            _endpoints[i] = new GrpcEndpoint(baseUri, connections);
        }
    }

    /// <summary>How many endpoints there are: the most attempts one call makes.</summary>
    public int EndpointCount => _endpoints.Length;

    /// <summary>Where a new call starts: the index of the current endpoint.</summary>
    public int FirstAttemptIndex => Volatile.Read(ref _current);

    /// <summary>
    /// The endpoint for attempt <paramref name="attempt"/> of a call that started at <paramref name="firstAttemptIndex"/>:
    /// the current endpoint first, then the others in order, each once.
    /// </summary>
    public GrpcEndpoint EndpointForAttempt(int firstAttemptIndex, int attempt) => _endpoints[(firstAttemptIndex + attempt) % _endpoints.Length];

    /// <summary>The endpoint at a fixed position (for per-endpoint commands such as <c>endpoint status</c>).</summary>
    public GrpcEndpoint EndpointAt(int index) => _endpoints[index];

    /// <summary>Moves the current endpoint past <paramref name="failed"/>, unless another call already did.</summary>
    public void ReportFailure(GrpcEndpoint failed)
    {
        int current = Volatile.Read(ref _current);
        if (ReferenceEquals(_endpoints[current], failed))
        {
            Interlocked.CompareExchange(ref _current, (current + 1) % _endpoints.Length, current);
        }
    }

    public void Dispose()
    {
        foreach (GrpcEndpoint endpoint in _endpoints)
        {
            endpoint.Dispose();
        }
    }
}
