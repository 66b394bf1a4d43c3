using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Cairn.Server.Transport;

/// <summary>What Kestrel binds for one protocol of a sniffed port: it hands out that protocol's connections.</summary>
internal sealed class SniffedConnectionListener(SniffingAcceptor acceptor, SniffedProtocol protocol, Func<SniffedConnectionListener, ValueTask> release)
    : IConnectionListener
{
    // Unbinding must end this listener's accept loop at once, even while the other protocol's listener (which shares
    // the acceptor) is still bound.
    private readonly CancellationTokenSource _unbound = new();
    private int _released;

    public EndPoint EndPoint { get; } = new SniffedEndPoint(acceptor.BoundEndPoint, protocol);

    internal SniffingAcceptor Acceptor => acceptor;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        using var accepting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
        try
        {
            return await acceptor.AcceptAsync(protocol, accepting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_unbound.IsCancellationRequested)
        {
            return null;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => ReleaseOnceAsync();

    public async ValueTask DisposeAsync()
    {
        await ReleaseOnceAsync().ConfigureAwait(false);
        _unbound.Dispose();
    }

    private async ValueTask ReleaseOnceAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        await _unbound.CancelAsync().ConfigureAwait(false);
        await release(this).ConfigureAwait(false);
    }
}
