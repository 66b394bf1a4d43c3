using Cairn.Server.Node;
using Cairn.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Server.Tests.Node;

/// <summary>Opens real members (real WAL, snapshots, value files) in a temp data directory.</summary>
internal sealed class NodeFixture : IDisposable
{
    private readonly TempDirectory directory = new("cairn-node");

    public string DataDirectory => directory.Path;

    public NodeOptions Options(Func<NodeOptions, NodeOptions>? adjust = null)
    {
        var options = new NodeOptions
        {
            Name = "node-test",
            DataDirectory = directory.Path,
            WalDirectory = directory.Combine("wal"),
            WalSegmentBytes = 1024 * 1024,
        };
        return adjust is null ? options : adjust(options);
    }

    public async Task<EtcdNode> OpenAsync(Func<NodeOptions, NodeOptions>? adjust = null)
    {
        EtcdNode node = EtcdNode.Open(Options(adjust), NullLogger.Instance);
        await node.Serving.WaitAsync(TimeSpan.FromSeconds(20));
        return node;
    }

    public void Dispose() => directory.Dispose();
}
