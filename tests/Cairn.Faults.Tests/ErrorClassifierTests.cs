using Cairn.Faults;
using Cairn.Linearizability;
using Cairn.Protocol.Grpc;

namespace Cairn.Faults.Tests;

public sealed class ErrorClassifierTests
{
    [Theory]
    [InlineData(GrpcStatusCode.InvalidArgument, "etcdserver: key is not provided", Outcome.Failed)]
    [InlineData(GrpcStatusCode.PermissionDenied, "etcdserver: permission denied", Outcome.Failed)]
    [InlineData(GrpcStatusCode.ResourceExhausted, "etcdserver: mvcc: database space exceeded", Outcome.Failed)]
    [InlineData(GrpcStatusCode.Unavailable, "etcdserver: request timed out", Outcome.Unknown)]
    [InlineData(GrpcStatusCode.Unavailable, "etcdserver: leader changed", Outcome.Unknown)]
    [InlineData(GrpcStatusCode.Unavailable, "etcdserver: no leader", Outcome.Unknown)]
    [InlineData(GrpcStatusCode.DeadlineExceeded, "context deadline exceeded", Outcome.Unknown)]
    [InlineData(GrpcStatusCode.Unavailable, "connection error: desc = \"transport: Error while dialing http://127.0.0.1:1: Connection refused\"", Outcome.Failed)]
    [InlineData(GrpcStatusCode.Unavailable, "error reading from server http://127.0.0.1:1: Connection reset by peer", Outcome.Unknown)]
    public void Errors_are_classified_per_the_etcd_error_table(GrpcStatusCode code, string message, Outcome expected) =>
        Assert.Equal(expected, ErrorClassifier.Classify(new RpcException(code, message)));

    [Fact]
    public void Non_grpc_exceptions_are_unknown() =>
        Assert.Equal(Outcome.Unknown, ErrorClassifier.Classify(new IOException("broken pipe")));
}
