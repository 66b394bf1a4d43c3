using System.Diagnostics;
using Cairn.Cli.Output;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Verbs;

/// <summary>Prints watch responses as etcdctl does and runs the per-event command of <c>watch ... -- COMMAND</c>.</summary>
internal static class WatchEvents
{
    /// <summary>
    /// Prints one response delivered to a watcher; for a cancel, first says why on stderr. Then runs
    /// <paramref name="execCommand"/> once per event with ETCD_WATCH_* variables; a failing command ends cairn
    /// with exit code 1, as in etcdctl.
    /// </summary>
    public static void Deliver(VerbContext context, WatchResponse response, IReadOnlyList<string> execCommand)
    {
        if (response.Canceled)
        {
            context.Console.Output.Flush();
            context.Console.Error.WriteLine($"watch was canceled ({CancelReason(response)})");
        }
        context.Printer.Watch(response);
        context.Console.Output.Flush();
        if (execCommand.Count == 0)
        {
            return;
        }
        foreach (var watchEvent in response.Events)
        {
            Run(context, response, watchEvent, execCommand);
        }
    }

    /// <summary>The error clientv3 reports for a canceled watch response.</summary>
    public static string CancelReason(WatchResponse response)
    {
        if (response.CompactRevision != 0)
        {
            return "etcdserver: mvcc: required revision has been compacted";
        }
        if (response.CancelReason.Length == 0)
        {
            return "etcdserver: mvcc: required revision is a future revision";
        }
        // clientv3 maps a reason that is one of etcd's error strings to that error, and wraps any other one.
        return response.CancelReason.StartsWith("etcdserver: ", StringComparison.Ordinal)
            ? response.CancelReason
            : $"rpc error: code = FailedPrecondition desc = {response.CancelReason}";
    }

    private static void Run(VerbContext context, WatchResponse response, Event watchEvent, IReadOnlyList<string> execCommand)
    {
        var start = new ProcessStartInfo(execCommand[0]) { UseShellExecute = false };
        foreach (string argument in execCommand.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ETCD_WATCH_REVISION"] = (response.Header?.Revision ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ETCD_WATCH_EVENT_TYPE"] = watchEvent.Type == Event.Types.EventType.Delete ? "\"DELETE\"" : "\"PUT\"";
        start.Environment["ETCD_WATCH_KEY"] = Quoted(watchEvent.Kv?.Key.ToByteArray() ?? []);
        start.Environment["ETCD_WATCH_VALUE"] = Quoted(watchEvent.Kv?.Value.ToByteArray() ?? []);
        string? failure = null;
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("process did not start");
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                failure = $"exit status {process.ExitCode}";
            }
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            failure = $"fork/exec {execCommand[0]}: {error.Message}";
        }
        if (failure is not null)
        {
            string command = "[" + string.Join(' ', execCommand.Select(GoText.Quote)) + "]";
            throw new CliException(ExitCodes.Failure, $"command {command} error ({failure})") { Unprefixed = true };
        }
    }

    private static string Quoted(byte[] bytes)
    {
        var stream = new MemoryStream();
        var buffer = new OutputBuffer(stream);
        GoText.AppendQuoted(buffer, bytes);
        buffer.Flush();
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
