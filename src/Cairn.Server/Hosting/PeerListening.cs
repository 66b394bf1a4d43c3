using System.Net.Sockets;
using Cairn.Configuration;
using Cairn.Protocol.Etcd;
using Cairn.Server.Peers;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Hosting;

/// <summary>
/// Decides when this member listens on its peer URLs. A member with peers binds them at start, and a failure stops the
/// start. A member alone in its cluster does not bind them, so single-node servers never fight over the default peer
/// port; it binds them as soon as its member list grows beyond itself (a <c>member add</c> applied), because the new
/// member asks this one for the member list right after the add commits. That bind runs off the node loop (which
/// reports the change); if it fails, the error is logged once with what to change, clients are still served, and the
/// bind is tried again every <see cref="RetryInterval"/> (the grown cluster may have no quorum without this member's
/// new peer, so waiting for another membership change could wait forever).
/// </summary>
internal sealed class PeerListening : IAsyncDisposable
{
    private readonly PeerTransport _transport;
    private readonly IReadOnlyList<Uri> _listenUrls;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private PeerListener? _listener;
    private Task _binding = Task.CompletedTask;
    private int _memberCount;
    private bool _followingGrowth;
    private bool _disposed;

    /// <summary>Starts following <paramref name="transport"/>'s member list changes (before the member opens, so none
    /// is missed); nothing is bound until <see cref="Start"/> or <see cref="StartWhenGrown"/>.</summary>
    public PeerListening(PeerTransport transport, IReadOnlyList<Uri> listenUrls, ILogger log)
    {
        _transport = transport;
        _listenUrls = listenUrls;
        _log = log;
        transport.MembersUpdated += OnMembersUpdated;
    }

    /// <summary>How often a member that grew retries a peer bind that failed.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    /// <summary>The listener, or null while this member does not listen for peers.</summary>
    public PeerListener? Listener
    {
        get
        {
            lock (_gate)
            {
                return _listener;
            }
        }
    }

    /// <summary>Binds the peer URLs now; throws <see cref="HostStartException"/> naming the URLs and the setting.</summary>
    public void Start()
    {
        try
        {
            PeerListener listener = PeerListener.Start(_transport, _listenUrls, _log);
            lock (_gate)
            {
                _listener = listener;
            }
        }
        catch (SocketException exception)
        {
            throw new HostStartException($"cannot listen for peers on {Urls}: {exception.Message}: {Hint(exception)}", exception);
        }
    }

    /// <summary>From now on a member list of more than one member binds the peer URLs (also one that grew while the
    /// member was opening).</summary>
    public void StartWhenGrown()
    {
        lock (_gate)
        {
            _followingGrowth = true;
            BindInBackgroundIfGrown();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Task binding;
        lock (_gate)
        {
            _disposed = true;
            binding = _binding;
        }

        _transport.MembersUpdated -= OnMembersUpdated;
        await _stop.CancelAsync().ConfigureAwait(false);
        await binding.ConfigureAwait(false);
        _stop.Dispose();
        PeerListener? listener;
        lock (_gate)
        {
            listener = _listener;
            _listener = null;
        }

        if (listener is not null)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    private string Urls => string.Join(",", _listenUrls.Select(ConfigUrls.Format));

    private static string Hint(SocketException exception) => exception.SocketErrorCode == SocketError.AddressAlreadyInUse
        ? "another process (etcd? another cairn?) already listens there; stop it or change peer.listen_urls (--listen-peer-urls)"
        : "check peer.listen_urls (--listen-peer-urls)";

    /// <summary>Node loop: must not block, so the bind itself runs on the thread pool.</summary>
    private void OnMembersUpdated(IReadOnlyList<Member> members)
    {
        lock (_gate)
        {
            _memberCount = members.Count;
            BindInBackgroundIfGrown();
        }
    }

    private void BindInBackgroundIfGrown()
    {
        if (_followingGrowth && !_disposed && _listener is null && _binding.IsCompleted && _memberCount > 1)
        {
            int members = _memberCount;
            _binding = Task.Run(() => BindUntilListeningAsync(members));
        }
    }

    private async Task BindUntilListeningAsync(int members)
    {
        bool reported = false;
        while (true)
        {
            try
            {
                PeerListener listener = PeerListener.Start(_transport, _listenUrls, _log);
                lock (_gate)
                {
                    _listener = listener;
                }

                PeerLog.ListeningAfterGrowth(_log, members, Urls);
                return;
            }
            catch (SocketException exception) when (!reported)
            {
                PeerLog.CannotListenAfterGrowth(_log, Urls, members, exception.Message, Hint(exception), (int)RetryInterval.TotalSeconds);
                reported = true;
            }
            catch (SocketException)
            {
            }

            try
            {
                await Task.Delay(RetryInterval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
