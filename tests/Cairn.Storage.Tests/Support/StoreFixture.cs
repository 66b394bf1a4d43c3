using Cairn.Storage.Mvcc;

namespace Cairn.Storage.Tests.Support;

/// <summary>An MVCC store over a temporary value directory.</summary>
public sealed class StoreFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public StoreFixture(Func<MvccOptions, MvccOptions>? configure = null)
    {
        var options = new MvccOptions { ValueDirectory = _directory.Sub("values") };
        Store = new MvccStore(configure is null ? options : configure(options));
    }

    public MvccStore Store { get; }

    public string ValueDirectory => _directory.Sub("values");

    public long Put(string key, string value, long lease = 0) => Store.Put(Kv.Put(key, value, lease)).Header.Revision;

    public void Dispose()
    {
        Store.Dispose();
        _directory.Dispose();
    }
}
