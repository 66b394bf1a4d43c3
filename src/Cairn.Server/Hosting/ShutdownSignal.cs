using System.Runtime.InteropServices;

namespace Cairn.Server.Hosting;

/// <summary>
/// Turns the first SIGTERM or SIGINT into a graceful shutdown request (<see cref="Token"/> is cancelled). A second
/// signal while shutting down gets the default behaviour, so an impatient operator can still stop the process.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource requested = new();
    private readonly PosixSignalRegistration[] registrations;
    private int receivedSignal;

    private ShutdownSignal()
    {
        registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
        ];
    }

    /// <summary>Starts listening for SIGTERM and SIGINT.</summary>
    public static ShutdownSignal Register() => new();

    /// <summary>Cancelled when a shutdown signal arrives.</summary>
    public CancellationToken Token => requested.Token;

    /// <summary>The signal that asked for shutdown ("SIGTERM", "SIGINT"), or null.</summary>
    public string? ReceivedSignalName => receivedSignal == 0 ? null : ((PosixSignal)receivedSignal).ToString();

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref receivedSignal, (int)context.Signal, 0) != 0)
        {
            return;
        }
        context.Cancel = true;
        requested.Cancel();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in registrations)
        {
            registration.Dispose();
        }
        requested.Dispose();
    }
}
