using Cairn.Testing;

namespace Cairn.EndToEnd.Tests;

/// <summary>The oracle and the reference clients the differential tests rely on are present and talk to each other.</summary>
public class OracleTests
{
    [Fact]
    public async Task Real_etcd_answers_etcdctl_python_and_node_clients()
    {
        await using var etcd = await EtcdServer.StartAsync();

        (await Etcdctl.RunAsync(etcd.Endpoint, "put", "oracle-key", "from-etcdctl")).EnsureSuccess("etcdctl put");
        var python = await ClientScripts.PythonAsync("127.0.0.1", int.Parse(etcd.Endpoint.Split(':')[1]),
            "import etcd3, os; c = etcd3.client(host=os.environ['ETCD_HOST'], port=int(os.environ['ETCD_PORT'])); print(c.get('oracle-key')[0].decode())");
        var node = await ClientScripts.NodeAsync(etcd.ClientUrl,
            "const { Etcd3 } = require('etcd3'); const c = new Etcd3({ hosts: process.env.ETCD_ENDPOINT }); c.get('oracle-key').string().then(v => { console.log(v); c.close(); });");

        Assert.Equal("from-etcdctl", python.EnsureSuccess("python3-etcd3").Stdout.Trim());
        Assert.Equal("from-etcdctl", node.EnsureSuccess("npm etcd3").Stdout.Trim());
    }
}
