using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Transport;

/// <summary>
/// Owns one listening socket of a cleartext client port. Every accepted connection is peeked at (never consumed):
/// if its first 24 bytes are the HTTP/2 preface it goes to Kestrel's HTTP/2 endpoint, otherwise to the HTTP/1.1 one.
/// Peeking leaves the bytes in the socket, so Kestrel reads the connection from its first byte as usual.
/// </summary>
internal sealed partial class SniffingAcceptor : IAsyncDisposable
{
    // A client that sent part of the preface is re-checked at this interval until the rest arrives.
    private static readonly TimeSpan PartialPrefaceRecheck = TimeSpan.FromMilliseconds(5);

    // After accept itself fails (e.g. out of file descriptors), wait this long before accepting again.
    private static readonly TimeSpan AcceptFailurePause = TimeSpan.FromMilliseconds(50);

    // Classified connections wait here until Kestrel's accept loop takes them; Kestrel takes them at once,
    // so a small queue suffices and bounds memory if it ever stalls.
    private const int ClassifiedQueueCapacity = 256;

    private readonly Socket _listenSocket;
    private readonly ClientPortOptions _options;
    private readonly SocketConnectionContextFactory _contextFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Channel<ConnectionContext> _http2 = NewQueue();
    private readonly Channel<ConnectionContext> _http1 = NewQueue();
    private Task _acceptLoop = Task.CompletedTask;
    private int _unclassifiedConnections;

    private SniffingAcceptor(Socket listenSocket, ClientPortOptions options, SocketConnectionContextFactory contextFactory, ILogger logger)
    {
        _listenSocket = listenSocket;
        _options = options;
        _contextFactory = contextFactory;
        _logger = logger;
        BoundEndPoint = (IPEndPoint)listenSocket.LocalEndPoint!;
    }

    /// <summary>The address actually bound (the real port when 0 was asked for).</summary>
    public IPEndPoint BoundEndPoint { get; }

    /// <summary>Binds and starts accepting.</summary>
    /// <exception cref="AddressInUseException">The address is taken.</exception>
    public static SniffingAcceptor Start(IPEndPoint address, ClientPortOptions options, SocketConnectionContextFactory contextFactory, ILogger logger)
    {
        Socket socket = Bind(address, options.ListenBacklog);
        var acceptor = new SniffingAcceptor(socket, options, contextFactory, logger);
        acceptor._acceptLoop = acceptor.AcceptLoopAsync();
        return acceptor;
    }

    /// <summary>Takes the next connection of one protocol; null once the acceptor stopped.</summary>
    public async ValueTask<ConnectionContext?> AcceptAsync(SniffedProtocol protocol, CancellationToken cancellationToken)
    {
        ChannelReader<ConnectionContext> queue = Queue(protocol).Reader;
        while (await queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (queue.TryRead(out ConnectionContext? connection))
            {
                return connection;
            }
        }

        return null;
    }

    /// <summary>Stops accepting; connections already handed to Kestrel are unaffected.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listenSocket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        CloseQueue(_http2);
        CloseQueue(_http1);
        _stopping.Dispose();
    }

    private static Socket Bind(IPEndPoint address, int backlog)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(address);
            socket.Listen(backlog);
            return socket;
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException($"cannot listen on {address}: the address is already in use (is another etcd or Cairn running?)", exception);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Channel<ConnectionContext> NewQueue() =>
        Channel.CreateBounded<ConnectionContext>(new BoundedChannelOptions(ClassifiedQueueCapacity) { SingleReader = false, SingleWriter = false });

    private Channel<ConnectionContext> Queue(SniffedProtocol protocol) => protocol == SniffedProtocol.Http2 ? _http2 : _http1;

    private static void CloseQueue(Channel<ConnectionContext> queue)
    {
        queue.Writer.TryComplete();
        while (queue.Reader.TryRead(out ConnectionContext? orphan))
        {
            orphan.Abort();
            _ = orphan.DisposeAsync();
        }
    }
}
