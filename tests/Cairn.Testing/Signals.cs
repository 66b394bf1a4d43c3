using System.Runtime.InteropServices;

namespace Cairn.Testing;

/// <summary>POSIX signals for fault tests: terminate, kill, pause and resume a process by its PID.</summary>
public static partial class Signals
{
    /// <summary>SIGINT (Ctrl-C).</summary>
    public const int Interrupt = 2;

    /// <summary>SIGKILL.</summary>
    public const int Kill = 9;

    /// <summary>SIGTERM.</summary>
    public const int Terminate = 15;

    /// <summary>SIGCONT.</summary>
    public const int Continue = 18;

    /// <summary>SIGSTOP.</summary>
    public const int Stop = 19;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false if the process is gone.</summary>
    public static bool Send(int pid, int signal) => SendSignal(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
