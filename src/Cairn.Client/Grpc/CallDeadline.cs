using System.Diagnostics;
using Cairn.Protocol.Grpc;

namespace Cairn.Client.Grpc;

/// <summary>
/// A call's cancellation: the caller's token plus, when the call has a timeout, a timer. The deadline covers every
/// attempt of the call (failover included), and each attempt tells the server the time left in <c>grpc-timeout</c>.
/// </summary>
internal readonly struct CallDeadline : IDisposable
{
    private readonly CancellationTokenSource? _source;
    private readonly CancellationToken _callerToken;
    private readonly long _deadlineTimestamp;

    public CallDeadline(CancellationToken callerToken, TimeSpan? timeout, bool cancellable)
    {
        _callerToken = callerToken;
        if (timeout is { } callTimeout)
        {
            // A plain timer source is cheaper than a linked one when the caller cannot cancel.
            _source = callerToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(callerToken) : new CancellationTokenSource();
            _source.CancelAfter(callTimeout);
            _deadlineTimestamp = Stopwatch.GetTimestamp() + (long)(callTimeout.TotalSeconds * Stopwatch.Frequency);
        }
        else if (cancellable)
        {
            // Streams are cancelled on dispose even when the caller gave no token.
            _source = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        }

        Token = _source?.Token ?? callerToken;
        HasTimeout = timeout is not null;
    }

    /// <summary>Fires on the caller's cancellation or at the deadline.</summary>
    public CancellationToken Token { get; }

    /// <summary>True when the call has a timeout.</summary>
    public bool HasTimeout { get; }

    /// <summary>True when the call was cancelled by its deadline rather than by the caller.</summary>
    /// <remarks>Decided by the token alone: the timer may fire a hair before a stopwatch says the time is up.</remarks>
    public bool Expired => HasTimeout && _source!.IsCancellationRequested && !_callerToken.IsCancellationRequested;

    /// <summary>True when the caller cancelled.</summary>
    public bool CancelledByCaller => _callerToken.IsCancellationRequested;

    /// <summary>Time left until the deadline.</summary>
    public TimeSpan RemainingTime => HasTimeout ? Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _deadlineTimestamp) : Timeout.InfiniteTimeSpan;

    /// <summary>The <c>grpc-timeout</c> value for an attempt starting now, or null without a timeout.</summary>
    public string? TimeoutHeader() => HasTimeout ? GrpcTimeout.Format(RemainingTime) : null;

    /// <summary>Cancels the call (used when a stream is disposed early).</summary>
    public void Cancel() => _source?.Cancel();

    public void Dispose() => _source?.Dispose();
}
