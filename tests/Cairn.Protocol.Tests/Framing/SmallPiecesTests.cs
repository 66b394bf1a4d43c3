using System.Text;
using Cairn.Protocol.Grpc;
using Cairn.Server.Transport;

namespace Cairn.Protocol.Tests.Framing;

public class SmallPiecesTests
{
    private static readonly byte[] Preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    [Fact]
    public void Full_preface_is_http2_even_with_more_bytes_after_it()
    {
        Assert.Equal(SniffedProtocol.Http2, Http2Preface.Classify(Preface));
        Assert.Equal(SniffedProtocol.Http2, Http2Preface.Classify([.. Preface, 0, 0, 0, 4]));
    }

    [Fact]
    public void Matching_prefix_is_undecided()
    {
        for (int length = 0; length < Preface.Length; length++)
        {
            Assert.Null(Http2Preface.Classify(Preface.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData("GET /health HTTP/1.1\r\n")]
    [InlineData("POST /v3/kv/range HTTP/1.1\r\n")]
    [InlineData("PRI * HTTP/1.1\r\n")]
    [InlineData("P")]
    [InlineData("\u0016\u0003\u0001")]
    public void Anything_else_is_http1_as_soon_as_a_byte_differs(string firstBytes)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(firstBytes);
        SniffedProtocol? expected = firstBytes == "P" ? null : SniffedProtocol.Http1;
        Assert.Equal(expected, Http2Preface.Classify(bytes));
    }

    [Fact]
    public void Go_error_string_matches_grpc_go()
    {
        var error = new RpcException(GrpcStatusCode.PermissionDenied, "etcdserver: permission denied");
        Assert.Equal("rpc error: code = PermissionDenied desc = etcdserver: permission denied", error.GoErrorString);
        Assert.Equal("Code(99)", ((GrpcStatusCode)99).GoName());
    }

    [Fact]
    public void Status_OK_is_never_an_exception()
    {
        Assert.Throws<InvariantViolationException>(() => new RpcException(GrpcStatusCode.OK, "fine"));
    }

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/grpc; charset=utf-8", true)]
    [InlineData("APPLICATION/GRPC", true)]
    [InlineData("application/grpcx", false)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void Grpc_content_types(string? contentType, bool expected)
    {
        Assert.Equal(expected, GrpcHeaders.IsGrpcContentType(contentType));
    }
}
