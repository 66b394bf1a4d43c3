using Cairn.Cli.Tests.Support;
using Cairn.Testing;

namespace Cairn.Cli.Tests.Differential;

/// <summary>One real etcd 3.4 for the <see cref="RealEtcdFormattingTests"/>, seeded with keys and a lease by etcdctl.</summary>
public sealed class RealEtcdFixture : IAsyncLifetime
{
    private EtcdServer? etcd;

    /// <summary>The etcd endpoint (host:port).</summary>
    public string Endpoint => etcd!.Endpoint;

    /// <summary>The lease (hex) attached to key "leased".</summary>
    public string LeaseId { get; private set; } = "";

    /// <summary>Runs etcdctl against the server and returns its raw output.</summary>
    public Task<CommandResult> EtcdctlAsync(params string[] args) => EtcdctlRaw.RunAsync(Endpoint, args);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        etcd = await EtcdServer.StartAsync();
        await Seed("put", "greeting", "hello world");
        await Seed("put", "greeting2", "bye");
        await Seed("put", "binary", "bin\u00ff\n\t\"q<&>");
        await Seed("put", "empty", "");
        string grant = (await EtcdctlAsync("lease", "grant", "600")).Text;
        LeaseId = grant.Split(' ')[1];
        await Seed("put", "leased", "v", "--lease", LeaseId);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (etcd is not null)
        {
            await etcd.DisposeAsync();
        }
    }

    private async Task Seed(params string[] args)
    {
        var result = await EtcdctlAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
