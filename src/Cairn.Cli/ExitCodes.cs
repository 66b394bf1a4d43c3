namespace Cairn.Cli;

/// <summary>
/// Process exit codes of every cairn command. Cairn's own contract is 0 ok, 1 failure, 2 usage error; the
/// etcdctl-compatible client verbs also use etcdctl 3.4's codes where etcdctl has a more specific one, so that
/// scripts written for etcdctl keep working (docs/CLI.md, "Exit codes").
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command failed; stderr says why (etcdctl's ExitError).</summary>
    public const int Failure = 1;

    /// <summary>
    /// The command line itself was wrong (unknown verb or flag, bad flag value); stderr says which. etcdctl uses
    /// the same number for "bad connection" (<see cref="BadConnection"/>).
    /// </summary>
    public const int Usage = 2;

    /// <summary>etcdctl's ExitBadConnection: a connection-level failure of a streaming verb (e.g. keep-alive --once).</summary>
    public const int BadConnection = 2;

    /// <summary>etcdctl's ExitInvalidInput: malformed txn or interactive watch input on stdin.</summary>
    public const int InvalidInput = 3;

    /// <summary>etcdctl's ExitBadFeature: an output format or option the verb does not support.</summary>
    public const int BadFeature = 4;

    /// <summary>etcdctl's ExitInterrupted: a watch ended by the server, or a snapshot download cut short.</summary>
    public const int Interrupted = 5;

    /// <summary>etcdctl's ExitIO: reading or writing a local file failed.</summary>
    public const int IO = 6;

    /// <summary>
    /// Interrupted by Ctrl-C (SIGINT) where etcdctl does not handle the signal (watch, lease keep-alive): shells see
    /// 128 + 2 for a process killed by SIGINT, so cairn exits with the same number, silently.
    /// </summary>
    public const int InterruptedBySignal = 130;

    /// <summary>etcdctl's ExitBadArgs: wrong number or form of positional arguments (e.g. a lease ID that is not hex).</summary>
    public const int BadArgs = 128;
}
