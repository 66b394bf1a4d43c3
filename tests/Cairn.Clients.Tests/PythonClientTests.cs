using Cairn.Testing;

namespace Cairn.Clients.Tests;

/// <summary>python3-etcd3 (Debian) runs tests/clients/python/scenarios.py against cairn and real etcd: same output.</summary>
public class PythonClientTests
{
    [Fact]
    public async Task Python_etcd3_scenarios_print_the_same_against_cairn_and_etcd()
    {
        await using var cairn = await CairnServer.StartAsync();
        await using var etcd = await EtcdServer.StartAsync();
        string script = ClientScriptFiles.Read("python", "scenarios.py");

        Task<ProcessResult> onCairn = ClientScripts.PythonAsync("127.0.0.1", cairn.ClientPort, script);
        Task<ProcessResult> onEtcd = ClientScripts.PythonAsync("127.0.0.1", ClientScriptFiles.PortOf(etcd.Endpoint), script);
        ProcessResult cairnResult = (await onCairn).EnsureSuccess("python3-etcd3 scenarios against cairn");
        ProcessResult etcdResult = (await onEtcd).EnsureSuccess("python3-etcd3 scenarios against etcd");

        Assert.EndsWith("done", etcdResult.Stdout.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("lease-short-expired absent", etcdResult.Stdout, StringComparison.Ordinal);
        Differential.AssertSameLines(Differential.Normalize(etcdResult.Stdout), Differential.Normalize(cairnResult.Stdout), "python3-etcd3");
    }

    [Fact]
    public async Task Python_etcd3_reports_an_unknown_lease_as_etcd_does()
    {
        await using var cairn = await CairnServer.StartAsync();
        const string script = """
            import etcd3, os
            c = etcd3.client(host=os.environ['ETCD_HOST'], port=int(os.environ['ETCD_PORT']))
            try:
                c.put('k', 'v', lease=12345)
                print('no error')
            except Exception as e:
                print(type(e).__name__, e)
            """;

        ProcessResult result = (await ClientScripts.PythonAsync("127.0.0.1", cairn.ClientPort, script)).EnsureSuccess("python3-etcd3");

        Assert.Contains("etcdserver: requested lease not found", result.Stdout, StringComparison.Ordinal);
    }
}
