namespace Cairn.Testing;

/// <summary>Runs scripts against a server with the third-party etcd clients: python3-etcd3 and npm etcd3.</summary>
public static class ClientScripts
{
    /// <summary>
    /// Runs a Python script with Debian's python3 (which has the etcd3 module; the python3 first on PATH may
    /// not). The endpoint is passed as ETCD_HOST and ETCD_PORT.
    /// </summary>
    public static Task<ProcessResult> PythonAsync(string host, int port, string script) =>
        ProcessRunner.RunAsync(
            "/usr/bin/python3",
            new[] { "-c", script },
            environment: new Dictionary<string, string> { ["ETCD_HOST"] = host, ["ETCD_PORT"] = port.ToString() });

    /// <summary>
    /// Runs a Node.js script with the npm etcd3 package from tests/clients/node (installed by ./build.sh test).
    /// The endpoint is passed as ETCD_ENDPOINT (http://host:port).
    /// </summary>
    public static Task<ProcessResult> NodeAsync(string endpoint, string script)
    {
        string modules = Path.Combine(RepositoryPaths.Root, "tests", "clients", "node", "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "etcd3")))
        {
            throw new InvalidOperationException($"{modules}/etcd3 is missing: run ./build.sh test (npm ci in tests/clients/node)");
        }
        return ProcessRunner.RunAsync(
            "node",
            new[] { "-e", script },
            environment: new Dictionary<string, string> { ["NODE_PATH"] = modules, ["ETCD_ENDPOINT"] = endpoint });
    }
}
