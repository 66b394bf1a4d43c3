using System.Net;
using Cairn.Server.Tests.Support;
using static Cairn.Server.Tests.Gateway.GatewayHttp;

namespace Cairn.Server.Tests.Gateway;

/// <summary>The JSON gateway's unary calls: encoding, decoding and errors byte for byte as etcd's (reference §5).</summary>
public class JsonGatewayTests
{
    private const string Header2 = "{\"cluster_id\":\"1234605616436508552\",\"member_id\":\"9833440827789222417\",\"revision\":\"2\",\"raft_term\":\"2\"}";

    [Fact]
    public async Task Put_and_range_answer_in_etcds_exact_json()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };

        var put = await PostAsync(http, "/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}");
        var range = await PostAsync(http, "/v3/kv/range", "{\"key\":\"Zm9v\"}");
        var missing = await PostAsync(http, "/v3/kv/range", "{\"key\":\"bm9uZQ==\"}");

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal("{\"header\":" + Header2 + "}", put.Body);
        Assert.Equal("application/json", put.Response.Content.Headers.ContentType?.ToString());
        Assert.Equal(
            "{\"header\":" + Header2 + ",\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\",\"mod_revision\":\"2\",\"version\":\"1\",\"value\":\"YmFy\"}],\"count\":\"1\"}",
            range.Body);
        Assert.Equal("{\"header\":" + Header2 + "}", missing.Body);
    }

    [Fact]
    public async Task Input_accepts_proto_and_camel_names_numbers_or_strings_enum_names_or_numbers_and_ignores_unknown_fields()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        foreach (string key in new[] { "YQ==", "Yg==", "Yw==" })
        {
            await PostAsync(http, "/v3/kv/put", "{\"key\":\"" + key + "\",\"value\":\"MQ==\",\"bogus\":{\"nested\":[1,2]}}");
        }

        var proto = await PostAsync(http, "/v3/kv/range", "{\"key\":\"AA==\",\"range_end\":\"AA==\",\"keys_only\":true,\"limit\":\"2\",\"sort_order\":\"DESCEND\"}");
        var camel = await PostAsync(http, "/v3/kv/range", "{\"key\":\"AA==\",\"rangeEnd\":\"AA==\",\"keysOnly\":true,\"limit\":2,\"sortOrder\":2}");
        var countOnly = await PostAsync(http, "/v3/kv/range", "{\"key\":\"AA==\",\"range_end\":\"AA==\",\"count_only\":true}");

        Assert.Equal(HttpStatusCode.OK, proto.Status);
        Assert.Equal(proto.Body, camel.Body);
        Assert.Contains("\"kvs\":[{\"key\":\"Yw==\",\"create_revision\":\"4\",\"mod_revision\":\"4\",\"version\":\"1\"},{\"key\":\"Yg==\"", proto.Body);
        Assert.EndsWith("\"more\":true,\"count\":\"3\"}", proto.Body);
        Assert.EndsWith(",\"count\":\"3\"}", countOnly.Body);
        Assert.DoesNotContain("kvs", countOnly.Body);
    }

    [Fact]
    public async Task Txn_uses_oneof_names_and_nested_headers_carry_only_the_revision()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        await PostAsync(http, "/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}");

        var failed = await PostAsync(http, "/v3/kv/txn",
            "{\"compare\":[{\"target\":\"CREATE\",\"key\":\"Zm9v\",\"create_revision\":\"0\"}],\"success\":[{\"request_put\":{\"key\":\"Zm9v\",\"value\":\"MQ==\"}}],\"failure\":[{\"requestRange\":{\"key\":\"Zm9v\"}}]}");

        Assert.Equal(
            "{\"header\":" + Header2 + ",\"responses\":[{\"response_range\":{\"header\":{\"revision\":\"2\"},\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\",\"mod_revision\":\"2\",\"version\":\"1\",\"value\":\"YmFy\"}],\"count\":\"1\"}}]}",
            failed.Body);
    }

    [Theory]
    [InlineData("/v3/kv/range", "{}", 400, "{\"error\":\"etcdserver: key is not provided\",\"message\":\"etcdserver: key is not provided\",\"code\":3}")]
    [InlineData("/v3/kv/range", "", 400, "{\"error\":\"etcdserver: key is not provided\",\"message\":\"etcdserver: key is not provided\",\"code\":3}")]
    [InlineData("/v3/kv/range", "null", 400, "{\"error\":\"etcdserver: key is not provided\",\"message\":\"etcdserver: key is not provided\",\"code\":3}")]
    [InlineData("/v3/kv/range", "{\"key\":\"Zm9v\"", 400, "{\"error\":\"unexpected EOF\",\"message\":\"unexpected EOF\",\"code\":3}")]
    [InlineData("/v3/kv/range", "{\"key\":\"Zm9v\",\"revision\":\"99\"}", 400, "{\"error\":\"etcdserver: mvcc: required revision is a future revision\",\"message\":\"etcdserver: mvcc: required revision is a future revision\",\"code\":11}")]
    [InlineData("/v3/kv/put", "{\"key\":\"Zm9v\",\"lease\":\"5\"}", 404, "{\"error\":\"etcdserver: requested lease not found\",\"message\":\"etcdserver: requested lease not found\",\"code\":5}")]
    [InlineData("/v3/lock/lock", "{\"name\":\"bDE=\",\"lease\":\"12345\"}", 500, "{\"error\":\"etcdserver: requested lease not found\",\"message\":\"etcdserver: requested lease not found\",\"code\":2}")]
    [InlineData("/v3/election/leader", "{\"name\":\"bm8=\"}", 500, "{\"error\":\"election: no leader\",\"message\":\"election: no leader\",\"code\":2}")]
    public async Task Errors_come_back_with_grpc_gateways_status_and_body(string path, string body, int status, string expected)
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };

        var response = await PostAsync(http, path, body);

        Assert.Equal(status, (int)response.Status);
        Assert.Equal(expected, response.Body);
        Assert.Equal("application/json", response.Response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Failed_precondition_maps_to_400_as_upstream_etcd_not_412_as_the_debian_build()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        await PostAsync(http, "/v3/lease/grant", "{\"TTL\":60,\"ID\":\"4660\"}");

        var again = await PostAsync(http, "/v3/lease/grant", "{\"TTL\":\"60\",\"ID\":4660}");

        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("{\"error\":\"etcdserver: lease already exists\",\"message\":\"etcdserver: lease already exists\",\"code\":9}", again.Body);
    }

    [Theory]
    [InlineData("{\"key\":\"Zm9v\",\"limit\":1.5}")]
    [InlineData("{\"key\":\"_-8=\"}")]
    [InlineData("{\"key\":\"Zm9v\",\"sort_order\":\"BOGUS\"}")]
    [InlineData("[1]")]
    [InlineData("{\"key\":}")]
    public async Task Undecodable_json_is_an_invalid_argument(string body)
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };

        var response = await PostAsync(http, "/v3/kv/range", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.EndsWith(",\"code\":3}", response.Body);
        Assert.StartsWith("{\"error\":\"", response.Body);
    }

    [Fact]
    public async Task A_request_over_the_message_limit_is_resource_exhausted()
    {
        var options = new Cairn.Server.Gateway.JsonGatewayOptions { MaxReceiveMessageBytes = 100, MaxJsonRequestBytes = 10_000 };
        await using GatewayTestHost host = await GatewayTestHost.StartAsync(gatewayOptions: options);
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        string value = Convert.ToBase64String(new byte[200]);

        var tooLarge = await PostAsync(http, "/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"" + value + "\"}");
        var tooLong = await PostAsync(http, "/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"" + Convert.ToBase64String(new byte[9000]) + "\"}");

        Assert.Equal(HttpStatusCode.TooManyRequests, tooLarge.Status);
        Assert.Equal("{\"error\":\"grpc: received message larger than max (208 vs. 100)\",\"message\":\"grpc: received message larger than max (208 vs. 100)\",\"code\":8}", tooLarge.Body);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Contains("larger than 10000 bytes", tooLong.Body);
    }

    [Fact]
    public async Task Get_on_a_method_path_is_405_and_an_unknown_path_404_in_plain_text()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };

        HttpResponseMessage get = await http.GetAsync("/v3/kv/range");
        HttpResponseMessage unknown = await http.PostAsync("/v3/kv/nope", new StringContent("{}"));
        HttpResponseMessage hashKv = await http.PostAsync("/v3/maintenance/hashkv", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal("Method Not Allowed\n", await get.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", get.Content.Headers.ContentType?.ToString());
        Assert.Equal("nosniff", get.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Not Found\n", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, hashKv.StatusCode);
    }

    [Fact]
    public async Task Cors_headers_are_on_every_response_and_options_is_an_empty_200()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };

        HttpResponseMessage options = await http.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/v3/kv/range"));
        HttpResponseMessage range = await http.PostAsync("/v3/kv/range", new StringContent("{\"key\":\"YQ==\"}"));

        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        Assert.Equal("", await options.Content.ReadAsStringAsync());
        foreach (HttpResponseMessage response in new[] { options, range })
        {
            Assert.Equal("POST, GET, OPTIONS, PUT, DELETE", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
            Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Equal("accept, content-type, authorization", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
        }
    }

    [Fact]
    public async Task V3beta_paths_and_the_legacy_lease_aliases_reach_the_same_methods()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };

        var put = await PostAsync(http, "/v3beta/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}");
        var range = await PostAsync(http, "/v3beta/kv/range", "{\"key\":\"Zm9v\"}");
        await PostAsync(http, "/v3/lease/grant", "{\"TTL\":60,\"ID\":\"4660\"}");
        var ttl = await PostAsync(http, "/v3/kv/lease/timetolive", "{\"ID\":\"4660\"}");

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Contains("\"value\":\"YmFy\"", range.Body);
        Assert.Contains("\"ID\":\"4660\",\"TTL\":\"", ttl.Body);
        Assert.Contains("\"grantedTTL\":\"60\"", ttl.Body);
    }

    [Fact]
    public async Task The_authorization_header_reaches_the_handler_as_the_token()
    {
        await using GatewayTestHost host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "UnsxgiEDVcopiwBV.243");

        var response = await PostAsync(http, "/v3/auth/authenticate", "{\"name\":\"root\",\"password\":\"x\"}");

        Assert.Equal("UnsxgiEDVcopiwBV.243", host.Kv.LastSeenToken);
        Assert.EndsWith(",\"token\":\"UnsxgiEDVcopiwBV.243\"}", response.Body);
    }
}
