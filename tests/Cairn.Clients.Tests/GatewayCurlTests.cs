using Cairn.Testing;

namespace Cairn.Clients.Tests;

/// <summary>curl drives the JSON gateway (tests/clients/curl/gateway.sh) against cairn and real etcd: same status,
/// content type and body for every call, the chunked watch stream included.</summary>
public class GatewayCurlTests
{
    [Fact]
    public async Task Curl_on_the_gateway_sees_the_same_statuses_and_bodies_as_on_etcd()
    {
        await using var cairn = await CairnServer.StartAsync();
        await using var etcd = await EtcdServer.StartAsync();
        string script = ClientScriptFiles.PathOf("curl", "gateway.sh");

        Task<ProcessResult> onCairn = ProcessRunner.RunAsync("/bin/bash", [script, cairn.ClientUrl]);
        Task<ProcessResult> onEtcd = ProcessRunner.RunAsync("/bin/bash", [script, etcd.ClientUrl]);
        string cairnOutput = Differential.Normalize((await onCairn).Stdout);
        string etcdOutput = Differential.Normalize((await onEtcd).Stdout);

        // The oracle's own output proves the script exercised what it claims (watch events arrived, errors happened).
        Assert.Contains("\"type\":\"DELETE\"", etcdOutput, StringComparison.Ordinal);
        Assert.Contains("### bad-json\n400 application/json", etcdOutput, StringComparison.Ordinal);
        Differential.AssertSameLines(etcdOutput, cairnOutput, "curl on the JSON gateway");
    }
}
