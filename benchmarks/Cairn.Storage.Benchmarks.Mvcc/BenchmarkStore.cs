using Cairn.Protocol.Etcd;
using Cairn.Storage.Mvcc;
using Google.Protobuf;

namespace Cairn.Storage.Benchmarks.Mvcc;

/// <summary>A store in a temporary directory, preloaded with keys like Kubernetes' (/registry/pods/ns/name).</summary>
public sealed class BenchmarkStore : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cairn-bench-" + Guid.NewGuid().ToString("N"));

    public BenchmarkStore(int keys, int valueBytes, int keyBytes = 64)
    {
        Store = new MvccStore(new MvccOptions { ValueDirectory = Path.Combine(_directory, "values") });
        Value = ByteString.CopyFrom(RandomBytes(valueBytes, seed: 1));
        KeyBytes = keyBytes;
        for (int i = 0; i < keys; i++)
        {
            Store.Put(new PutRequest { Key = Key(i), Value = Value });
        }
    }

    public MvccStore Store { get; }

    public ByteString Value { get; }

    public int KeyBytes { get; }

    /// <summary>Key number <paramref name="i"/>, padded to <see cref="KeyBytes"/> bytes.</summary>
    public ByteString Key(int i) => ByteString.CopyFromUtf8(KeyText(i, KeyBytes));

    public static string KeyText(int i, int keyBytes)
    {
        string key = $"/registry/pods/ns-{i % 100:D2}/pod-{i:D9}";
        return key.Length >= keyBytes ? key : key + new string('x', keyBytes - key.Length);
    }

    public static byte[] RandomBytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
