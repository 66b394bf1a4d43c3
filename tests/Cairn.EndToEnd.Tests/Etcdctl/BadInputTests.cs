using Cairn.Testing;

namespace Cairn.EndToEnd.Tests.EtcdctlVerbs;

/// <summary>
/// Raw gRPC requests that no client library would send (curl with HTTP/2 prior knowledge): cairn answers them with
/// the gRPC status real etcd answers, and keeps serving a normal etcdctl put afterwards.
/// </summary>
public class BadInputTests
{
    public static TheoryData<string, string, string, byte[]> BadRequests => new()
    {
        { "malformed protobuf", "/etcdserverpb.KV/Put", "application/grpc", [0, 0, 0, 0, 5, 0xff, 0xff, 0xff, 0xff, 0xff] },
        { "unknown method", "/etcdserverpb.KV/Nope", "application/grpc", [0, 0, 0, 0, 0] },
        { "unknown service", "/nope.Svc/Nope", "application/grpc", [0, 0, 0, 0, 0] },
        { "frame longer than the body", "/etcdserverpb.KV/Range", "application/grpc", [0, 0, 0, 0, 9, 0x0a] },
        { "varint longer than 64 bits", "/etcdserverpb.KV/Range", "application/grpc", [0, 0, 0, 0, 12, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01] },
        { "compressed flag without an encoding", "/etcdserverpb.KV/Range", "application/grpc", [1, 0, 0, 0, 2, 0x0a, 0x00] },
        { "range without a key", "/etcdserverpb.KV/Range", "application/grpc", [0, 0, 0, 0, 2, 0x0a, 0x00] },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_grpc_requests_get_etcds_status_and_the_server_keeps_serving(string what, string path, string contentType, byte[] body)
    {
        await using ServerPair servers = await ServerPair.StartAsync();

        // Real etcd sometimes resets the stream under curl's last DATA frame (curl exit 92): ask it again then. Cairn
        // reads the rest of a refused request before it closes the stream, so it gets no second chance.
        string fromEtcd = await PostAsync(servers.Etcd.ClientUrl, path, contentType, body);
        for (int attempt = 0; attempt < 5 && fromEtcd.Contains("curl exit 92", StringComparison.Ordinal); attempt++)
        {
            fromEtcd = await PostAsync(servers.Etcd.ClientUrl, path, contentType, body);
        }

        string fromCairn = await PostAsync(servers.Cairn.ClientUrl, path, contentType, body);

        Assert.True(fromEtcd == fromCairn, $"{what}: cairn answered\n{fromCairn}\nreal etcd answered\n{fromEtcd}");
        Assert.Contains("grpc-status:", fromCairn, StringComparison.Ordinal);
        await servers.SameAsync("put", "still", "serving", "-w", "json");
    }

    [Fact]
    public async Task A_grpc_call_with_a_wrong_content_type_fails_and_the_server_keeps_serving()
    {
        await using CairnServer cairn = await CairnServer.StartAsync();

        string answer = await PostAsync(cairn.ClientUrl, "/etcdserverpb.KV/Put", "text/plain", [0, 0, 0, 0, 0]);

        Assert.DoesNotContain("grpc-status: 0", answer, StringComparison.Ordinal);
        (await Cairn.Testing.Etcdctl.RunAsync(cairn.Endpoint, "put", "still", "serving")).EnsureSuccess("put after bad input");
        var get = (await Cairn.Testing.Etcdctl.RunAsync(cairn.Endpoint, "get", "still", "--print-value-only")).EnsureSuccess("get");
        Assert.Equal("serving\n", get.Stdout);
    }

    /// <summary>POSTs <paramref name="body"/> over h2c and returns the HTTP status line and the grpc-* headers/trailers.</summary>
    private static async Task<string> PostAsync(string baseUrl, string path, string contentType, byte[] body)
    {
        using var bodyFile = new TempDirectory("cairn-badinput");
        string bodyPath = bodyFile.Combine("body");
        await File.WriteAllBytesAsync(bodyPath, body);
        ProcessResult curl = await ProcessRunner.RunAsync("/usr/bin/curl",
            ["-sS", "--http2-prior-knowledge", "-o", "/dev/null", "-D", "-", "-X", "POST", "-H", $"content-type: {contentType}",
             "-H", "te: trailers", "--data-binary", $"@{bodyPath}", $"{baseUrl}{path}"],
            timeout: TimeSpan.FromSeconds(30));
        var kept = curl.Stdout.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.StartsWith("HTTP/", StringComparison.Ordinal) || line.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase))
            .Select(HeaderNameToLower);
        string answer = string.Join('\n', kept);
        return curl.ExitCode == 0 ? answer : $"{answer}\ncurl exit {curl.ExitCode}: {curl.Stderr.Trim()}";
    }

    private static string HeaderNameToLower(string line)
    {
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        return line.StartsWith("HTTP/", StringComparison.Ordinal) || colon < 0
            ? line.Trim()
            : string.Concat(line[..colon].ToLowerInvariant(), line[colon..]);
    }
}
