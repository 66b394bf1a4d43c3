namespace Cairn.Protocol.Grpc;

/// <summary>The gRPC metadata keys etcd servers and clients use (reference §7).</summary>
public static class EtcdMetadata
{
    /// <summary>The auth token returned by <c>Auth/Authenticate</c>; the server reads it first.</summary>
    public const string Token = "token";

    /// <summary>The token as the JSON gateway forwards it (from the HTTP <c>Authorization</c> header); read when <see cref="Token"/> is absent.</summary>
    public const string Authorization = "authorization";

    /// <summary><c>hasleader: true</c> asks the server to fail the call (or stream) with <c>etcdserver: no leader</c> when it has no leader.</summary>
    public const string HasLeader = "hasleader";

    /// <summary>The value of <see cref="HasLeader"/> that enables the check.</summary>
    public const string HasLeaderTrue = "true";

    /// <summary>The client's API version (<c>3.4</c>), used only for metrics labels.</summary>
    public const string ClientApiVersion = "client-api-version";
}
