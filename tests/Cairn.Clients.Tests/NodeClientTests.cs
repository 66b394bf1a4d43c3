using Cairn.Testing;

namespace Cairn.Clients.Tests;

/// <summary>The npm etcd3 client runs tests/clients/node/scenarios.js against cairn and real etcd: same output.</summary>
public class NodeClientTests
{
    [Fact]
    public async Task Npm_etcd3_scenarios_print_the_same_against_cairn_and_etcd()
    {
        await using var cairn = await CairnServer.StartAsync();
        await using var etcd = await EtcdServer.StartAsync();
        string script = ClientScriptFiles.Read("node", "scenarios.js");

        Task<ProcessResult> onCairn = ClientScripts.NodeAsync(cairn.ClientUrl, script);
        Task<ProcessResult> onEtcd = ClientScripts.NodeAsync(etcd.ClientUrl, script);
        ProcessResult cairnResult = (await onCairn).EnsureSuccess("npm etcd3 scenarios against cairn");
        ProcessResult etcdResult = (await onEtcd).EnsureSuccess("npm etcd3 scenarios against etcd");

        Assert.EndsWith("done", etcdResult.Stdout.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("election-leader candidate-1", etcdResult.Stdout, StringComparison.Ordinal);
        Differential.AssertSameLines(Differential.Normalize(etcdResult.Stdout), Differential.Normalize(cairnResult.Stdout), "npm etcd3");
    }
}
