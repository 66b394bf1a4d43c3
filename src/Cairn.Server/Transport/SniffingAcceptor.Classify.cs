using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Transport;

/// <summary>The accept loop and the per-connection classification.</summary>
internal sealed partial class SniffingAcceptor
{
    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listenSocket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                // A connection reset before it was accepted, or fd exhaustion: keep serving everyone else, but pause
                // briefly so a persistent error (no file descriptors left) does not become a busy loop.
                LogAcceptFailed(_logger, BoundEndPoint.ToString(), exception.SocketErrorCode);
                await PauseAfterAcceptFailureAsync().ConfigureAwait(false);
                continue;
            }

            if (Interlocked.Increment(ref _unclassifiedConnections) > _options.MaxUnclassifiedConnections)
            {
                Interlocked.Decrement(ref _unclassifiedConnections);
                LogTooManyUnclassified(_logger, BoundEndPoint.ToString(), _options.MaxUnclassifiedConnections);
                socket.Dispose();
                continue;
            }

            _ = ClassifyAndQueueAsync(socket);
        }
    }

    private async Task ClassifyAndQueueAsync(Socket socket)
    {
        bool handedOff = false;
        try
        {
            socket.NoDelay = true;
            SniffedProtocol? protocol = await ClassifyAsync(socket).ConfigureAwait(false);
            if (protocol is { } kind)
            {
                ConnectionContext connection = _contextFactory.Create(socket);
                handedOff = Queue(kind).Writer.TryWrite(connection) || await TryQueueSlowAsync(kind, connection).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or the server is stopping: nothing to serve.
        }
        catch (Exception exception)
        {
            // Never let one connection's failure go unobserved or affect the others.
            LogClassificationFailed(_logger, exception);
        }
        finally
        {
            Interlocked.Decrement(ref _unclassifiedConnections);
            if (!handedOff)
            {
                socket.Dispose();
            }
        }
    }

    private async ValueTask<bool> TryQueueSlowAsync(SniffedProtocol protocol, ConnectionContext connection)
    {
        try
        {
            await Queue(protocol).Writer.WriteAsync(connection, _stopping.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
        {
            connection.Abort();
            await connection.DisposeAsync().ConfigureAwait(false);
            return true; // the context owned the socket and has closed it
        }
    }

    private async Task PauseAfterAcceptFailureAsync()
    {
        try
        {
            await Task.Delay(AcceptFailurePause, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends it.
        }
    }

    /// <summary>Peeks until the first bytes decide the protocol; null when the client closed or stayed silent too long.</summary>
    private async Task<SniffedProtocol?> ClassifyAsync(Socket socket)
    {
        byte[] firstBytes = ArrayPool<byte>.Shared.Rent(Http2Preface.Length);
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        silence.CancelAfter(_options.FirstBytesTimeout);
        try
        {
            while (true)
            {
                int peeked = await socket.ReceiveAsync(firstBytes.AsMemory(0, Http2Preface.Length), SocketFlags.Peek, silence.Token).ConfigureAwait(false);
                if (peeked == 0)
                {
                    return null;
                }

                if (Http2Preface.Classify(firstBytes.AsSpan(0, peeked)) is { } protocol)
                {
                    return protocol;
                }

                // A matching but incomplete preface: the peek would return the same bytes at once, so wait a little.
                await Task.Delay(PartialPrefaceRecheck, silence.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            LogSilentConnection(_logger, socket.RemoteEndPoint?.ToString() ?? "?", _options.FirstBytesTimeout.TotalSeconds);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(firstBytes);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting a connection on {Address} failed ({Error}); still listening")]
    private static partial void LogAcceptFailed(ILogger logger, string address, SocketError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handing a new client connection to the HTTP server failed; the connection was closed")]
    private static partial void LogClassificationFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed a new connection on {Address}: {Limit} connections are already waiting to send their first bytes (client_port max unclassified connections)")]
    private static partial void LogTooManyUnclassified(ILogger logger, string address, int limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closed connection from {Remote}: it sent nothing recognisable within {Seconds} s")]
    private static partial void LogSilentConnection(ILogger logger, string remote, double seconds);
}
