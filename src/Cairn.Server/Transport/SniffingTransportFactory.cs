using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Transport;

/// <summary>
/// Kestrel transport for <see cref="SniffedEndPoint"/>s (public APIs only: <see cref="IConnectionListenerFactorySelector"/>
/// and <see cref="SocketConnectionContextFactory"/>). Both endpoints of one address share a single listening socket,
/// bound when Kestrel binds the first of them and closed when both are unbound.
/// </summary>
internal sealed class SniffingTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector, IAsyncDisposable
{
    private readonly ClientPortOptions _options;
    private readonly ILogger _logger;
    private readonly SocketConnectionContextFactory _contextFactory;
    private readonly Lock _gate = new();
    private readonly Dictionary<IPEndPoint, (SniffingAcceptor Acceptor, int Listeners)> _acceptors = new();

    public SniffingTransportFactory(ClientPortOptions options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _logger = loggerFactory.CreateLogger("Cairn.ClientPort");
        _contextFactory = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), loggerFactory.CreateLogger("Cairn.ClientPort.Sockets"));
    }

    public bool CanBind(EndPoint endpoint) => endpoint is SniffedEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var sniffed = endpoint as SniffedEndPoint
            ?? throw new NotSupportedException($"{endpoint} is not a sniffed client-port endpoint");
        lock (_gate)
        {
            SniffingAcceptor acceptor;
            if (_acceptors.TryGetValue(sniffed.Address, out var entry))
            {
                acceptor = entry.Acceptor;
                _acceptors[sniffed.Address] = (acceptor, entry.Listeners + 1);
            }
            else
            {
                acceptor = SniffingAcceptor.Start(sniffed.Address, _options, _contextFactory, _logger);
                _acceptors[sniffed.Address] = (acceptor, 1);
            }

            IConnectionListener listener = new SniffedConnectionListener(acceptor, sniffed.Protocol, listenerToRelease => ReleaseAsync(sniffed.Address, listenerToRelease));
            return ValueTask.FromResult(listener);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<SniffingAcceptor> acceptors;
        lock (_gate)
        {
            acceptors = new List<SniffingAcceptor>(_acceptors.Count);
            foreach (var entry in _acceptors.Values)
            {
                acceptors.Add(entry.Acceptor);
            }

            _acceptors.Clear();
        }

        foreach (SniffingAcceptor acceptor in acceptors)
        {
            await acceptor.DisposeAsync().ConfigureAwait(false);
        }

        _contextFactory.Dispose();
    }

    private ValueTask ReleaseAsync(IPEndPoint requestedAddress, SniffedConnectionListener listener)
    {
        lock (_gate)
        {
            if (!_acceptors.TryGetValue(requestedAddress, out var entry) || !ReferenceEquals(entry.Acceptor, listener.Acceptor))
            {
                return ValueTask.CompletedTask;
            }

            if (entry.Listeners > 1)
            {
                _acceptors[requestedAddress] = (entry.Acceptor, entry.Listeners - 1);
                return ValueTask.CompletedTask;
            }

            _acceptors.Remove(requestedAddress);
        }

        return listener.Acceptor.DisposeAsync();
    }
}
