using Cairn.Testing;

namespace Cairn.Faults;

/// <summary>Process faults by PID: crash (SIGKILL), pause (SIGSTOP) and resume (SIGCONT).</summary>
public static class ProcessFaults
{
    /// <summary>SIGKILL: the process dies without flushing anything it has not fsynced.</summary>
    public static bool Kill(int pid) => Signals.Send(pid, Signals.Kill);

    /// <summary>SIGSTOP: the process freezes with its sockets open (a GC pause or a stalled VM, seen from outside).</summary>
    public static bool Pause(int pid) => Signals.Send(pid, Signals.Stop);

    /// <summary>SIGCONT: a paused process runs again.</summary>
    public static bool Resume(int pid) => Signals.Send(pid, Signals.Continue);

    /// <summary>Pauses <paramref name="pid"/> until the returned handle is disposed, so a failing test never leaves it frozen.</summary>
    public static IDisposable PauseScoped(int pid)
    {
        if (!Pause(pid))
        {
            throw new InvalidOperationException($"could not SIGSTOP pid {pid}: it is not running");
        }

        return new Resumer(pid);
    }

    private sealed class Resumer(int pid) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Resume(pid);
            }
        }
    }
}
