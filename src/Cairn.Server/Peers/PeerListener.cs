using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Peers;

/// <summary>
/// Accepts the peers' streams on the peer listen URLs: each connection is handshaken (cluster ID, known sender,
/// this member as recipient) and then read by a <see cref="PeerInboundStream"/> until it closes.
/// </summary>
public sealed class PeerListener : IAsyncDisposable
{
    private readonly PeerTransport _transport;
    private readonly ILogger _log;
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly CancellationTokenSource _stop = new();

    private PeerListener(PeerTransport transport, ILogger log)
    {
        _transport = transport;
        _log = log;
    }

    /// <summary>The bound endpoints (with the real port when a URL said 0).</summary>
    public IReadOnlyList<IPEndPoint> Endpoints => _sockets.Select(s => (IPEndPoint)s.LocalEndPoint!).ToArray();

    /// <summary>Binds every URL of <paramref name="listenUrls"/> and starts accepting; throws <see cref="SocketException"/>
    /// when one cannot be bound (the caller names the URL and what to do).</summary>
    public static PeerListener Start(PeerTransport transport, IReadOnlyList<Uri> listenUrls, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(listenUrls);
        var listener = new PeerListener(transport, log);
        try
        {
            foreach (Uri url in listenUrls)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                listener._sockets.Add(socket);
                socket.Bind(new IPEndPoint(AddressOf(url.Host), url.Port));
                socket.Listen(128);
                PeerLog.Listening(log, socket.LocalEndPoint!.ToString()!);
            }
        }
        catch
        {
            listener.CloseSockets();
            throw;
        }

        foreach (Socket socket in listener._sockets)
        {
            listener._acceptLoops.Add(Task.Run(() => listener.AcceptLoopAsync(socket)));
        }

        return listener;
    }

    /// <summary>Stops accepting and closes the sockets (open inbound streams end with them).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        CloseSockets();
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        _stop.Dispose();
    }

    private static IPAddress AddressOf(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "" or "0.0.0.0" or "*" => IPAddress.Any,
        "[::]" or "::" => IPAddress.IPv6Any,
        _ => IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address) ? address : Dns.GetHostAddresses(host)[0],
    };

    private async Task AcceptLoopAsync(Socket listening)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listening.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            accepted.NoDelay = true;
            var inbound = new PeerInboundStream(_transport, accepted, _log);
            _ = Task.Run(() => inbound.RunAsync(_stop.Token));
        }
    }

    private void CloseSockets()
    {
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }
    }
}
