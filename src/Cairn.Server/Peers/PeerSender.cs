using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Cairn.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Peers;

/// <summary>
/// The outbound stream to one peer: a bounded queue the loop fills without blocking, and a task that keeps one TCP
/// connection open (reconnecting with exponential backoff), handshakes, and drains the queue into batched writes.
/// While the peer is not connected, messages are dropped and the peer reported unreachable: raft retransmits.
/// </summary>
internal sealed class PeerSender
{
    private readonly PeerTransport _transport;
    private readonly PeerTransportOptions _options;
    private readonly ILogger _log;
    private readonly Channel<OutboundFrame> _queue;
    private readonly PeerCounters _counters;
    private readonly CancellationTokenSource _retired = new();
    private volatile bool _connected;
    private volatile string? _connectedUrl;
    private long _connectedAtTimestamp;
    private Task _run = Task.CompletedTask;

    public PeerSender(PeerTransport transport, ulong peerId, PeerTransportOptions options, ILogger log)
    {
        _transport = transport;
        PeerId = peerId;
        _options = options;
        _log = log;
        _queue = Channel.CreateBounded<OutboundFrame>(new BoundedChannelOptions(options.MaxQueuedMessagesPerPeer)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _counters = transport.Metrics.For(peerId);
        _counters.QueueDepth = () => _queue.Reader.Count;
    }

    /// <summary>The member this stream goes to.</summary>
    public ulong PeerId { get; }

    /// <summary>True while a handshaken connection is open.</summary>
    public bool IsConnected => _connected;

    /// <summary>True while a handshaken connection is open and has been for at least <paramref name="duration"/>.</summary>
    public bool IsConnectedFor(TimeSpan duration) =>
        _connected && Stopwatch.GetElapsedTime(Interlocked.Read(ref _connectedAtTimestamp)) >= duration;

    /// <summary>The peer URL of the open connection, or null.</summary>
    public string? ConnectedUrl => _connectedUrl;

    public void Start(CancellationToken stop)
    {
        CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _retired.Token);
        _run = Task.Run(async () =>
        {
            using (linked)
            {
                await RunAsync(linked.Token).ConfigureAwait(false);
            }
        }, CancellationToken.None);
    }

    /// <summary>Closes the stream for good (the peer was removed, or its URLs changed and a new sender replaces this one).</summary>
    public void Retire() => _retired.Cancel();

    public Task Completion => _run;

    /// <summary>Queues a frame; false (the caller reports the peer) when not connected or the queue is full.</summary>
    public bool TryEnqueue(OutboundFrame frame)
    {
        if (_connected && _queue.Writer.TryWrite(frame))
        {
            return true;
        }

        _counters.Dropped();
        return false;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        TimeSpan delay = _options.MinReconnectDelay;
        bool quietFailures = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                (Socket socket, string url) = await DialAsync(stop).ConfigureAwait(false);
                using (socket)
                await using (var stream = new NetworkStream(socket, ownsSocket: false))
                {
                    _connectedUrl = url;
                    Interlocked.Exchange(ref _connectedAtTimestamp, Stopwatch.GetTimestamp());
                    _connected = true;
                    _counters.Connected();
                    delay = _options.MinReconnectDelay;
                    quietFailures = false;
                    PeerLog.Connected(_log, PeerId, url);
                    await PumpAsync(stream, stop).ConfigureAwait(false);
                }
            }
            catch (Exception error) when (!stop.IsCancellationRequested)
            {
                if (error is PeerRefusedException { Removed: true })
                {
                    _transport.ReportRemovedByPeer(PeerId);
                }

                if (_connected)
                {
                    PeerLog.Disconnected(_log, PeerId, error.Message);
                }
                else if (!quietFailures)
                {
                    // One line per outage, not one per attempt.
                    LogDialFailure(error);
                    quietFailures = true;
                }
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // Stopping: whatever the stream failed with is the transport closing it.
            }
            finally
            {
                _connected = false;
                _connectedUrl = null;
                DropQueued();
            }

            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    private void LogDialFailure(Exception error)
    {
        if (error is PeerRefusedException refused)
        {
            PeerLog.RefusedByPeer(_log, PeerId, refused.Message);
        }
        else
        {
            PeerLog.Disconnected(_log, PeerId, $"cannot connect: {error.Message}");
        }
    }

    /// <summary>Connects to the first reachable peer URL and handshakes; throws when none accepts.</summary>
    private async Task<(Socket Socket, string Url)> DialAsync(CancellationToken stop)
    {
        IReadOnlyList<string> urls = _transport.PeerUrlsOf(PeerId);
        if (urls.Count == 0)
        {
            throw new IOException($"no peer URL is known for member {PeerId:x}");
        }

        Exception? last = null;
        foreach (string url in urls)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(_options.DialTimeout);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                var uri = new Uri(url);
                await socket.ConnectAsync(uri.Host, uri.Port, timeout.Token).ConfigureAwait(false);
                await HandshakeAsync(socket, timeout.Token).ConfigureAwait(false);
                return (socket, url);
            }
            catch (Exception error) when (!stop.IsCancellationRequested && error is not PeerRefusedException)
            {
                socket.Dispose();
                last = error;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new IOException("no peer URL answered");
    }

    private async Task HandshakeAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] hello = new byte[PeerProtocol.HandshakeBytes];
        PeerProtocol.WriteHandshake(hello, _transport.ClusterId, _transport.LocalId, PeerId);
        await socket.SendAsync(hello, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        byte[] head = new byte[3];
        await stream.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
        int reasonBytes = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(1));
        if (reasonBytes > PeerProtocol.MaxReasonBytes)
        {
            throw new IOException($"the peer's handshake answer announces a {reasonBytes}-byte reason (at most {PeerProtocol.MaxReasonBytes})");
        }

        byte[] reason = new byte[reasonBytes];
        await stream.ReadExactlyAsync(reason, cancellationToken).ConfigureAwait(false);
        if ((HandshakeStatus)head[0] != HandshakeStatus.Accepted)
        {
            throw new PeerRefusedException(System.Text.Encoding.UTF8.GetString(reason), (HandshakeStatus)head[0] == HandshakeStatus.Removed);
        }
    }

    /// <summary>Drains the queue into batched writes until the connection fails or the transport stops.</summary>
    private async Task PumpAsync(NetworkStream stream, CancellationToken stop)
    {
        byte[] batch = new byte[_options.MaxWriteBatchBytes];
        ChannelReader<OutboundFrame> reader = _queue.Reader;
        while (await reader.WaitToReadAsync(stop).ConfigureAwait(false))
        {
            int used = 0;
            while (reader.TryRead(out OutboundFrame? frame))
            {
                try
                {
                    if (frame.SnapshotFile is not null || used + frame.Length > batch.Length)
                    {
                        await stream.WriteAsync(batch.AsMemory(0, used), stop).ConfigureAwait(false);
                        used = 0;
                    }

                    if (frame.SnapshotFile is not null)
                    {
                        await SendSnapshotAsync(stream, frame, stop).ConfigureAwait(false);
                    }
                    else if (frame.Length > batch.Length)
                    {
                        await stream.WriteAsync(frame.Buffer.AsMemory(0, frame.Length), stop).ConfigureAwait(false);
                    }
                    else
                    {
                        frame.Bytes.CopyTo(batch.AsSpan(used));
                        used += frame.Length;
                    }

                    _counters.Sent(frame.Length);
                }
                finally
                {
                    frame.Release();
                }
            }

            if (used > 0)
            {
                await stream.WriteAsync(batch.AsMemory(0, used), stop).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The snapshot frame, then the file streamed in chunks with its SHA-256; reports the outcome to raft.</summary>
    private async Task SendSnapshotAsync(NetworkStream stream, OutboundFrame frame, CancellationToken stop)
    {
        FileStream file = frame.SnapshotFile!;
        try
        {
            long fileBytes = file.Length;
            if (fileBytes > _options.MaxSnapshotBytes)
            {
                throw new IOException($"the snapshot {file.Name} is {fileBytes} bytes, over the limit of {_options.MaxSnapshotBytes}");
            }

            await stream.WriteAsync(frame.Buffer.AsMemory(0, frame.Length), stop).ConfigureAwait(false);
            byte[] chunk = new byte[Math.Min(_options.MaxWriteBatchBytes, 1 << 20)];
            BinaryPrimitives.WriteUInt64LittleEndian(chunk, (ulong)fileBytes);
            await stream.WriteAsync(chunk.AsMemory(0, 8), stop).ConfigureAwait(false);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            file.Position = 0;
            long remaining = fileBytes;
            while (remaining > 0)
            {
                int read = await file.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, remaining)), stop).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"the snapshot {file.Name} ended {remaining} bytes early");
                }

                hash.AppendData(chunk, 0, read);
                await stream.WriteAsync(chunk.AsMemory(0, read), stop).ConfigureAwait(false);
                remaining -= read;
            }

            await stream.WriteAsync(hash.GetHashAndReset(), stop).ConfigureAwait(false);
            PeerLog.SnapshotSent(_log, file.Name, fileBytes, PeerId);
            _transport.ReportSnapshot(PeerId, succeeded: true);
        }
        catch (Exception error)
        {
            PeerLog.SnapshotFailed(_log, PeerId, error.Message);
            _transport.ReportSnapshot(PeerId, succeeded: false);
            throw;
        }
    }

    /// <summary>After a disconnect: what was queued is dropped (raft retransmits); snapshots are reported failed.</summary>
    private void DropQueued()
    {
        bool dropped = false;
        while (_queue.Reader.TryRead(out OutboundFrame? frame))
        {
            if (frame.SnapshotFile is not null)
            {
                _transport.ReportSnapshot(PeerId, succeeded: false);
            }

            frame.Release();
            _counters.Dropped();
            dropped = true;
        }

        if (dropped)
        {
            _transport.ReportUnreachable(PeerId);
        }
    }
}

/// <summary>A peer answered the handshake with a refusal; the message is its reason. <see cref="Removed"/>: the peer
/// says this member was removed from the cluster.</summary>
internal sealed class PeerRefusedException(string reason, bool removed) : IOException(reason)
{
    public bool Removed { get; } = removed;
}
