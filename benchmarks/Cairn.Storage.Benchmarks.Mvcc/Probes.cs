using System.Diagnostics;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Storage.Mvcc;
using Cairn.Storage.Snapshots;
using Cairn.Storage.StateMachine;
using Google.Protobuf;

namespace Cairn.Storage.Benchmarks.Mvcc;

/// <summary>
/// Measurements that BenchmarkDotNet does not fit: memory per key and snapshot times at 100k/1M keys (each in a fresh
/// process), and readers running concurrently with the apply thread.
/// </summary>
public static class Probes
{
    public static int Run(string[] args)
    {
        string work = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), "cairn-probe-" + Guid.NewGuid().ToString("N"));
        return args[0] switch
        {
            "memory" => Memory(int.Parse(args[1]), work),
            "load" => Load(args[1], work),
            _ => ConcurrencyProbe.Run(int.Parse(args[1])),
        };
    }

    /// <summary>Loads N keys (64-byte keys, 256-byte values) through the state machine, then measures memory and
    /// snapshot write time; leaves the snapshot in the work directory for the "load" probe.</summary>
    private static int Memory(int keys, string work)
    {
        ProcessMemory before = ProcessMemory.Measure();
        var machine = new KvStateMachine(new StateMachineOptions { Mvcc = new MvccOptions { ValueDirectory = Path.Combine(work, "values") } });
        ByteString value = ByteString.CopyFrom(BenchmarkStore.RandomBytes(256, seed: 1));
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < keys; i++)
        {
            var request = new InternalRequest { Put = new PutRequest { Key = ByteString.CopyFromUtf8(BenchmarkStore.KeyText(i, 64)), Value = value } };
            machine.Apply((ulong)i + 1, 1, request);
        }

        TimeSpan loadTime = clock.Elapsed;
        ProcessMemory after = ProcessMemory.Measure();
        Console.WriteLine($"keys: {keys}, applied in {loadTime.TotalSeconds:F1} s ({keys / loadTime.TotalSeconds:F0} puts/s)");
        Console.WriteLine($"before: {before}");
        Console.WriteLine($"after:  {after}");
        Console.WriteLine($"per key: RSS {(after.RssBytes - before.RssBytes) / (double)keys:F0} B, anon {(after.RssAnonBytes - before.RssAnonBytes) / (double)keys:F0} B, managed {(after.ManagedHeapBytes - before.ManagedHeapBytes) / (double)keys:F0} B");
        Console.WriteLine($"store: {machine.Store.IndexedKeyCount} keys, {machine.Store.RecordCount} records, dbSize {ProcessMemory.Mb(machine.Store.SizeBytes)}, dbSizeInUse {ProcessMemory.Mb(machine.Store.SizeInUseBytes)}");

        machine.CaptureSnapshot().Dispose(); // first call pays for JIT compilation
        clock.Restart();
        SnapshotFileInfo file;
        using (StateSnapshot snapshot = machine.CaptureSnapshot())
        {
            // The apply thread is held only for the capture; the write below runs beside apply.
            Console.WriteLine($"snapshot capture (apply lock held): {clock.Elapsed.TotalMilliseconds:F3} ms");
            clock.Restart();
            file = SnapshotFiles.Write(snapshot, Path.Combine(work, "snap"));
        }

        Console.WriteLine($"snapshot write: {clock.Elapsed.TotalSeconds:F2} s, {ProcessMemory.Mb(file.Bytes)} -> {file.Path}");
        clock.Restart();
        uint hash = machine.Store.HashKV(0).Hash;
        Console.WriteLine($"hashkv: {clock.Elapsed.TotalSeconds:F2} s ({hash:x8})");
        Console.WriteLine($"after snapshot and hash: {ProcessMemory.Measure()}");
        Console.WriteLine($"after an aggressive GC (decommits free memory): {ProcessMemory.Measure(aggressive: true)}");
        machine.Dispose();
        return 0;
    }

    /// <summary>Loads a snapshot in a fresh process and measures load time and memory.</summary>
    private static int Load(string snapshotPath, string work)
    {
        ProcessMemory before = ProcessMemory.Measure();
        var clock = Stopwatch.StartNew();
        using KvStateMachine machine = KvStateMachine.FromSnapshot(
            new StateMachineOptions { Mvcc = new MvccOptions { ValueDirectory = Path.Combine(work, "values") } }, snapshotPath);
        TimeSpan loadTime = clock.Elapsed;
        ProcessMemory after = ProcessMemory.Measure();
        long keys = machine.Store.IndexedKeyCount;
        Console.WriteLine($"snapshot load: {keys} keys in {loadTime.TotalSeconds:F2} s (verified while reading)");
        Console.WriteLine($"before: {before}");
        Console.WriteLine($"after:  {after}");
        Console.WriteLine($"per key: RSS {(after.RssBytes - before.RssBytes) / (double)keys:F0} B, managed {(after.ManagedHeapBytes - before.ManagedHeapBytes) / (double)keys:F0} B");
        clock.Restart();
        SnapshotFiles.Verify(snapshotPath);
        Console.WriteLine($"verify only: {clock.Elapsed.TotalSeconds:F2} s");
        return 0;
    }
}
