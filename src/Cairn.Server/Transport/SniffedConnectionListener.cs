using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Cairn.Server.Transport;

/// <summary>What Kestrel binds for one protocol of a sniffed port: it hands out that protocol's connections.</summary>
internal sealed class SniffedConnectionListener(SniffingAcceptor acceptor, SniffedProtocol protocol, Func<SniffedConnectionListener, ValueTask> release)
    : IConnectionListener
{
    private int _released;

    public EndPoint EndPoint { get; } = new SniffedEndPoint(acceptor.BoundEndPoint, protocol);

    public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default) =>
        acceptor.AcceptAsync(protocol, cancellationToken);

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => ReleaseOnceAsync();

    public ValueTask DisposeAsync() => ReleaseOnceAsync();

    private ValueTask ReleaseOnceAsync() =>
        Interlocked.Exchange(ref _released, 1) == 0 ? release(this) : ValueTask.CompletedTask;

    internal SniffingAcceptor Acceptor => acceptor;
}
